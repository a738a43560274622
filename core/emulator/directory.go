package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wwkit/wwkit/core/fsperm"
)

// directoryFile is what --data keeps of the directory (通讯录): the
// departments, members and tags as the contact endpoints left them. It is
// a file of its own, beside state.json, because it replaces part of the
// fixture rather than adding to the state, and a user who wants the
// fixture's directory back deletes just this file.
type directoryFile struct {
	Version int `json:"version"`
	// CorpID ties the file to the corp it was saved for: loading it into
	// another fixture's corp would mix two worlds.
	CorpID      string       `json:"corpId"`
	Departments []Department `json:"departments"`
	Users       []User       `json:"users"`
	Tags        []WeComTag   `json:"tags"`
}

const directoryVersion = 1

func (e *Emulator) directoryPath() string { return filepath.Join(e.cfg.dataDir, "directory.json") }

// directoryChanged records that the directory differs from what the data
// dir holds, so the next Flush writes it. Callers hold e.mu.
func (e *Emulator) directoryChanged() {
	if e.cfg.dataDir == "" {
		return
	}
	e.dirDirty = true
	e.dirty = true
}

// loadDirectory replaces the fixture's directory with the one saved in the
// data dir, if any. A file it cannot use is an error naming the file and
// the way out: silently starting from the fixture would lose the user's
// changes at the next save.
func (e *Emulator) loadDirectory() error {
	path := e.directoryPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("emulator: reading the saved directory %s: %w", path, err)
	}
	fix := "; move it away (the emulator then starts from the fixture's departments and members) or pick another --data dir"
	var d directoryFile
	if err := json.Unmarshal(data, &d); err != nil {
		return fmt.Errorf("emulator: %s is not a directory file written by the emulator (%v)%s", path, err, fix)
	}
	if d.Version != directoryVersion {
		return fmt.Errorf("emulator: %s has version %d, this emulator reads version %d%s", path, d.Version, directoryVersion, fix)
	}
	if d.CorpID != e.fx.WeCom.CorpID {
		return fmt.Errorf("emulator: %s was saved for corp %q but the fixture's corp is %q%s", path, d.CorpID, e.fx.WeCom.CorpID, fix)
	}
	if err := validDirectory(&d, e.fx.WeCom.Apps); err != nil {
		return fmt.Errorf("emulator: %s does not hold a valid directory (%v)%s", path, err, fix)
	}
	e.fx.WeCom.Departments, e.fx.WeCom.Users, e.fx.WeCom.Tags = d.Departments, d.Users, d.Tags
	return nil
}

// validDirectory checks what the contact endpoints rely on. Only the
// directory is checked: a customer (客户) whose member was deleted is a
// state the running emulator allows, so it must load again too.
func validDirectory(d *directoryFile, apps []App) error {
	var errs []error
	fx := Fixture{WeCom: WeComFixture{CorpID: d.CorpID, Apps: apps, Users: d.Users}}
	if err := fx.Validate(); err != nil {
		errs = append(errs, err)
	}
	ids := map[int64]bool{}
	for i, dep := range d.Departments {
		if dep.ID <= 0 || ids[dep.ID] {
			errs = append(errs, fmt.Errorf("departments[%d].id %d is not positive or is used twice", i, dep.ID))
		}
		ids[dep.ID] = true
	}
	return errors.Join(errs...)
}

// encodeDirectory returns the directory to save, or nil when it has not
// changed since the last save. Callers hold e.mu.
func (e *Emulator) encodeDirectory() ([]byte, error) {
	if !e.dirDirty {
		return nil, nil
	}
	e.dirDirty = false
	w := &e.fx.WeCom
	return json.MarshalIndent(directoryFile{Version: directoryVersion, CorpID: w.CorpID,
		Departments: w.Departments, Users: w.Users, Tags: w.Tags}, "", "  ")
}

// writePrivate replaces path with data atomically (temporary file +
// rename), readable by the current user only like the rest of the data.
func writePrivate(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := fsperm.Dir(dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := fsperm.File(tmp.Name()); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
