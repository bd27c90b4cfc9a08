import { useId } from "react";
import { useI18n } from "../i18n/i18n.js";
import { LANGUAGES, type Language } from "../i18n/language.js";

const NAMES: Record<Language, string> = { en: "English", fr: "Français" };

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id}>{t.app.language}</label>
      <select
        id={id}
        value={language}
        onChange={(event) => setLanguage(event.target.value as Language)}
      >
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
