package apiserver

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	kubescheme "k8s.io/client-go/kubernetes/scheme"
	k8stesting "k8s.io/client-go/testing"

	wfv1 "github.com/argoproj/argo-workflows/v3/pkg/apis/workflow/v1alpha1"
	wfscheme "github.com/argoproj/argo-workflows/v3/pkg/client/clientset/versioned/scheme"
)

// Invoker is a fake clientset: k8s.io/client-go/kubernetes/fake and Argo's
// versioned/fake both are.
type Invoker interface {
	Invokes(action k8stesting.Action, defaultReturnObj runtime.Object) (runtime.Object, error)
}

// Server is a running API server.
type Server struct {
	// URL is https://127.0.0.1:PORT.
	URL      string
	Host     string
	Port     string
	core, wf Invoker
	scheme   *runtime.Scheme
	codecs   serializer.CodecFactory
	listener net.Listener
	srv      *http.Server

	mu       sync.Mutex
	requests []string
}

// Start serves core (the kubernetes fake) and wf (Argo's fake) with cert.
func Start(core, wf Invoker, cert tls.Certificate) (*Server, error) {
	scheme := runtime.NewScheme()
	if err := kubescheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	if err := wfscheme.AddToScheme(scheme); err != nil {
		return nil, err
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, err
	}
	host, port, _ := net.SplitHostPort(l.Addr().String())
	s := &Server{URL: "https://" + l.Addr().String(), Host: host, Port: port, core: core, wf: wf,
		scheme: scheme, codecs: serializer.NewCodecFactory(scheme), listener: l}
	s.srv = &http.Server{Handler: s}
	go s.srv.Serve(l)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Requests lists the requests served so far, as "VERB path".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// target is what a request path names.
type target struct {
	gvr       schema.GroupVersionResource
	namespace string
	name      string
}

// parsePath reads /api/v1/namespaces/NS/RES[/NAME] and
// /apis/GROUP/VERSION/namespaces/NS/RES[/NAME].
func parsePath(p string) (target, bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	var t target
	switch {
	case len(parts) >= 5 && parts[0] == "api" && parts[2] == "namespaces":
		t.gvr = schema.GroupVersionResource{Version: parts[1], Resource: parts[4]}
		parts = parts[3:]
	case len(parts) >= 6 && parts[0] == "apis" && parts[3] == "namespaces":
		t.gvr = schema.GroupVersionResource{Group: parts[1], Version: parts[2], Resource: parts[5]}
		parts = parts[4:]
	default:
		return t, false
	}
	t.namespace = parts[0]
	switch len(parts) {
	case 2:
	case 3:
		t.name = parts[2]
	default:
		return t, false
	}
	return t, true
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	t, ok := parsePath(r.URL.Path)
	if !ok {
		s.writeError(w, apierrors.NewMethodNotSupported(schema.GroupResource{Resource: r.URL.Path}, r.Method))
		return
	}
	invoker := s.core
	if t.gvr.Group == wfv1.SchemeGroupVersion.Group {
		invoker = s.wf
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, apierrors.NewBadRequest(err.Error()))
		return
	}
	action, err := s.action(r, t, body)
	if err != nil {
		s.writeError(w, err)
		return
	}
	obj, err := invoker.Invokes(action, nil)
	if err != nil {
		s.writeError(w, err)
		return
	}
	if obj == nil {
		s.writeError(w, apierrors.NewNotFound(t.gvr.GroupResource(), t.name))
		return
	}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	s.writeObject(w, status, t.gvr.GroupVersion(), obj)
}

// action turns a request into the client-go testing action the fake
// clientsets run.
func (s *Server) action(r *http.Request, t target, body []byte) (k8stesting.Action, error) {
	switch {
	case r.Method == http.MethodGet && t.name != "":
		return k8stesting.NewGetAction(t.gvr, t.namespace, t.name), nil
	case r.Method == http.MethodPost && t.name == "":
		obj, err := s.decode(body)
		if err != nil {
			return nil, err
		}
		return k8stesting.NewCreateAction(t.gvr, t.namespace, obj), nil
	case r.Method == http.MethodPut && t.name != "":
		obj, err := s.decode(body)
		if err != nil {
			return nil, err
		}
		return k8stesting.NewUpdateAction(t.gvr, t.namespace, obj), nil
	case r.Method == http.MethodPatch && t.name != "":
		pt := types.PatchType(strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0]))
		return k8stesting.NewPatchAction(t.gvr, t.namespace, t.name, pt, body), nil
	}
	return nil, apierrors.NewMethodNotSupported(t.gvr.GroupResource(), r.Method)
}

func (s *Server) decode(body []byte) (runtime.Object, error) {
	obj, _, err := s.codecs.UniversalDeserializer().Decode(body, nil, nil)
	if err != nil {
		return nil, apierrors.NewBadRequest(err.Error())
	}
	return obj, nil
}

func (s *Server) writeObject(w http.ResponseWriter, status int, gv schema.GroupVersion, obj runtime.Object) {
	data, err := runtime.Encode(s.codecs.LegacyCodec(gv), obj)
	if err != nil {
		s.writeError(w, apierrors.NewInternalError(err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(data)
}

func (s *Server) writeError(w http.ResponseWriter, err error) {
	st, ok := err.(apierrors.APIStatus)
	var status metav1.Status
	if ok {
		status = st.Status()
	} else {
		status = apierrors.NewInternalError(err).Status()
	}
	status.Kind, status.APIVersion = "Status", "v1"
	data, _ := json.Marshal(status)
	w.Header().Set("Content-Type", "application/json")
	code := int(status.Code)
	if code == 0 {
		code = http.StatusInternalServerError
	}
	w.WriteHeader(code)
	w.Write(data)
}

// String describes the server.
func (s *Server) String() string { return fmt.Sprintf("apiserver at %s", s.URL) }
