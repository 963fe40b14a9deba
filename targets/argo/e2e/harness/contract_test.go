package harness

import (
	"reflect"
	"testing"
)

func TestNormalizeRecord(t *testing.T) {
	argo := `{"env":{"WURZEL_RUN_ID":"uid-1","WURZEL_WORKDIR":"/wurzel/work","WURZEL_INPUT_A":"/wurzel/work/inputs/a",
		"WURZEL_SECRET_S_DIR":"/var/run/secrets/wurzel/s","X__Y":"1"},"cwd":"/wurzel/work","user":{"uid":65532},
		"secrets":{"WURZEL_SECRET_S_DIR":{"..data":{"dir":true},"..2026":{"dir":true},"k":{"mode":"0440","sha256":"h"}}}}`
	local := `{"env":{"WURZEL_RUN_ID":"20260101T000000Z-ab","WURZEL_WORKDIR":"/p/.wurzel/runs/r/s/work","WURZEL_INPUT_A":"/p/.wurzel/runs/r/s/work/inputs/a",
		"WURZEL_SECRET_S_DIR":"/p/secrets/s","X__Y":"1"},"cwd":"/p/.wurzel/runs/r/s/work","user":{"uid":0},
		"secrets":{"WURZEL_SECRET_S_DIR":{"k":{"mode":"0400","sha256":"h"}}}}`
	a, l := NormalizeRecord(t, []byte(argo)), NormalizeRecord(t, []byte(local))
	if !reflect.DeepEqual(a, l) {
		t.Fatalf("normalized records differ:\n%v\n%v", a, l)
	}
	// What is not a documented difference still counts.
	other := NormalizeRecord(t, []byte(`{"env":{"WURZEL_WORKDIR":"/w","X__Y":"2"},"cwd":"/w"}`))
	same := NormalizeRecord(t, []byte(`{"env":{"WURZEL_WORKDIR":"/w","X__Y":"1"},"cwd":"/w"}`))
	if reflect.DeepEqual(other, same) {
		t.Fatal("a different setting was normalized away")
	}
	if m := NormalizeRecord(t, []byte(`{"secrets":{"D":{"k":{"mode":"0444"}}}}`)); !reflect.DeepEqual(m["secrets"],
		map[string]any{"D": map[string]any{"k": map[string]any{"mode": "0404"}}}) {
		t.Errorf("other bits than the group's were changed: %v", m["secrets"])
	}
}
