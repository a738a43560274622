package desktop

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// Where the secrets of profiles created in the app are kept (Config.Secrets
// and ProfileDTO.SecretStore).
const (
	SecretsKeyring = "keyring" // the OS keyring (Secret Service on Linux, Keychain, Credential Manager)
	SecretsFile    = "file"    // secrets.json in the data dir, mode 0600
)

// keyringService is the service name of wwkit's keyring items; the user
// part is PROFILE/FIELD.
const keyringService = "wwkit"

// secretStore keeps the secrets of profiles created in the app, never in
// the plain profiles file.
type secretStore interface {
	Kind() string // SecretsKeyring or SecretsFile
	Get(profile, field string) (string, error)
	Set(profile, field, value string) error
	Delete(profile, field string) error
}

// errNoSecret is returned by Get when nothing is stored.
var errNoSecret = errors.New("desktop: no secret stored")

// keyringStore keeps secrets in the OS keyring through go-keyring.
type keyringStore struct{}

func (keyringStore) Kind() string { return SecretsKeyring }

func (keyringStore) Get(profile, field string) (string, error) {
	v, err := keyring.Get(keyringService, profile+"/"+field)
	if errors.Is(err, keyring.ErrNotFound) {
		return "", errNoSecret
	}
	if err != nil {
		return "", failWrap("secrets.keyringGet", err, "field", field, "name", profile)
	}
	return v, nil
}

func (keyringStore) Set(profile, field, value string) error {
	if err := keyring.Set(keyringService, profile+"/"+field, value); err != nil {
		return failWrap("secrets.keyringSet", err, "field", field, "name", profile)
	}
	return nil
}

func (keyringStore) Delete(profile, field string) error {
	err := keyring.Delete(keyringService, profile+"/"+field)
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return failWrap("secrets.keyringDelete", err, "field", field, "name", profile)
	}
	return nil
}

// fileSecrets keeps secrets in a JSON file readable by the user only
// (0600), for systems without a keyring (no Secret Service on the D-Bus
// session, no session at all).
type fileSecrets struct {
	mu   sync.Mutex
	path string
}

func (*fileSecrets) Kind() string { return SecretsFile }

func (f *fileSecrets) read() (map[string]map[string]string, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]map[string]string{}, nil
	}
	if err != nil {
		return nil, failWrap("secrets.fileRead", err, "path", f.path)
	}
	m := map[string]map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, failWrap("secrets.fileJSON", err, "path", f.path)
	}
	return m, nil
}

func (f *fileSecrets) write(m map[string]map[string]string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(f.path, b, 0o600)
}

func (f *fileSecrets) Get(profile, field string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return "", err
	}
	v, ok := m[profile][field]
	if !ok {
		return "", errNoSecret
	}
	return v, nil
}

func (f *fileSecrets) Set(profile, field, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if m[profile] == nil {
		m[profile] = map[string]string{}
	}
	m[profile][field] = value
	return f.write(m)
}

func (f *fileSecrets) Delete(profile, field string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := m[profile][field]; !ok {
		return nil
	}
	delete(m[profile], field)
	if len(m[profile]) == 0 {
		delete(m, profile)
	}
	return f.write(m)
}

// writeFileAtomic writes b to path through a temporary file and a rename,
// so a crash never leaves half a file.
func writeFileAtomic(path string, b []byte, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return failWrap("file.mkdir", err, "path", filepath.Dir(path))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return failWrap("file.write", err, "path", path)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return failWrap("file.write", err, "path", path)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return failWrap("file.write", err, "path", path)
	}
	if err := tmp.Close(); err != nil {
		return failWrap("file.write", err, "path", path)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return failWrap("file.write", err, "path", path)
	}
	return nil
}

// keyringProbeTimeout bounds the keyring probe: on Linux a Secret Service
// that is not running can make D-Bus wait for activation.
const keyringProbeTimeout = 2 * time.Second

// probeKeyring reports whether the OS keyring answers: it writes, reads
// back and deletes a probe item within keyringProbeTimeout.
func probeKeyring() error {
	done := make(chan error, 1)
	go func() {
		const user = "probe"
		if err := keyring.Set(keyringService+"-probe", user, "ok"); err != nil {
			done <- err
			return
		}
		v, err := keyring.Get(keyringService+"-probe", user)
		_ = keyring.Delete(keyringService+"-probe", user)
		if err == nil && v != "ok" {
			err = errors.New("the probe item read back differently")
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(keyringProbeTimeout):
		return errors.New("no answer within 2 s")
	}
}

// secretStoreFor picks the store: the keyring when mode allows and it
// answers, else the file.
func secretStoreFor(mode, dataDir string) (secretStore, error) {
	file := &fileSecrets{path: filepath.Join(dataDir, "secrets.json")}
	switch mode {
	case SecretsFile:
		return file, nil
	case SecretsKeyring:
		if err := probeKeyring(); err != nil {
			return nil, failWrap("secrets.keyringNone", err)
		}
		return keyringStore{}, nil
	}
	if probeKeyring() == nil {
		return keyringStore{}, nil
	}
	return file, nil
}

// secretCache holds the secret store once chosen (the keyring probe takes
// up to 2 s).
type secretCache struct {
	mu sync.Mutex
	s  secretStore // nil until first use
}

// secretStore returns the App's secret store, probing the keyring once.
func (a *App) secretStore() (secretStore, error) {
	p := &a.Profiles.secrets
	p.mu.Lock()
	s := p.s
	p.mu.Unlock()
	if s != nil {
		return s, nil
	}
	s, err := secretStoreFor(a.cfg.Secrets, a.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	if p.s == nil {
		p.s = s
	}
	s = p.s
	p.mu.Unlock()
	return s, nil
}
