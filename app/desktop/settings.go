package desktop

import "github.com/wwkit/wwkit/app/internal/uilang"

// SettingsService holds the preferences the window shares with the tray
// companion: the UI language (界面语言). The choice is saved as locale.json
// in the data directory, the file `wwkit tray` reads, so the window and the
// tray follow one setting: the saved choice, else the system locale.
type SettingsService struct{ app *App }

// LanguageDTO is the window's language and where it comes from.
type LanguageDTO struct {
	Lang  string `json:"lang"`  // "zh" or "en"
	Saved bool   `json:"saved"` // false: it follows the system locale
}

// Language is the language to show: the one saved in the data directory,
// else the operating system's. A broken locale.json is ignored here (the
// system language is used) and replaced by the next SetLanguage.
func (s *SettingsService) Language() LanguageDTO {
	dir := s.app.cfg.DataDir
	if l, ok, err := uilang.Load(dir); err == nil && ok {
		return LanguageDTO{Lang: string(l), Saved: true}
	}
	return LanguageDTO{Lang: string(uilang.System())}
}

// SetLanguage saves lang ("zh" or "en") for the window and the tray; "" or
// "system" removes the choice so both follow the system locale again.
func (s *SettingsService) SetLanguage(lang string) error {
	l, ok := uilang.Parse(lang)
	if !ok {
		l = ""
	} else if lang != string(uilang.En) && lang != string(uilang.Zh) {
		return fail("settings.lang", "lang", lang)
	}
	if err := uilang.Save(s.app.cfg.DataDir, l); err != nil {
		return failWrap("settings.save", err)
	}
	return nil
}
