package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
)

// manifestArtifact is the output artifact that carries a step's manifest.
const manifestArtifact = "wurzel_manifest"

// ArtifactFiles reads the output artifacts a node uploaded, from the
// artifact repository, with the sha256 of every file: a file output is the
// object at the artifact's key, a directory the objects under it.
func (e *Env) ArtifactFiles(t testing.TB, arts []wfv1.Artifact) map[string]Files {
	t.Helper()
	out := map[string]Files{}
	for _, a := range arts {
		if a.Name == manifestArtifact || a.S3 == nil {
			continue
		}
		out[a.Name] = e.objects(t, a.S3.Key)
	}
	return out
}

// objects hashes the object at key, or those under key/.
func (e *Env) objects(t testing.TB, key string) Files {
	t.Helper()
	files := Files{}
	client := e.S3.Client()
	prefix := strings.TrimSuffix(key, "/")
	pager := s3.NewListObjectsV2Paginator(client, &s3.ListObjectsV2Input{Bucket: aws.String(Bucket), Prefix: aws.String(prefix)})
	for pager.HasMorePages() {
		page, err := pager.NextPage(context.Background())
		if err != nil {
			t.Fatalf("listing %s: %v", prefix, err)
		}
		for _, o := range page.Contents {
			k := aws.ToString(o.Key)
			var rel string
			switch {
			case k == prefix:
				rel = "."
			case strings.HasPrefix(k, prefix+"/"):
				rel = strings.TrimPrefix(k, prefix+"/")
			default:
				continue
			}
			if rel == "" {
				continue
			}
			files[rel] = e.hash(t, k)
		}
	}
	return files
}

func (e *Env) hash(t testing.TB, key string) string {
	t.Helper()
	obj, err := e.S3.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(Bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	defer obj.Body.Close()
	h := sha256.New()
	if _, err := io.Copy(h, obj.Body); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Object reads the artifact repository's object at key.
func (e *Env) Object(t testing.TB, key string) []byte {
	t.Helper()
	obj, err := e.S3.Client().GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(Bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	defer obj.Body.Close()
	data, err := io.ReadAll(obj.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// ArgoRecords reads the records of the contract case's steps from the
// artifact repository.
func (e *Env) ArgoRecords(t testing.TB, r *ArgoRun) Records {
	t.Helper()
	recs := Records{}
	for name, s := range r.Outcome.Steps {
		key, ok := s.Keys[recordOutput]
		if !ok {
			t.Fatalf("Argo: step %s (%s) uploaded no record", name, s.Status)
		}
		recs[name] = e.Object(t, key)
	}
	return recs
}
