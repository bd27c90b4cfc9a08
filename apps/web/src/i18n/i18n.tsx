import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { en, type Messages } from "./en.js";
import { fr } from "./fr.js";
import { detectLanguage, type Language, readStoredLanguage, storeLanguage } from "./language.js";

const DICTIONARIES: Record<Language, Messages> = { en, fr };

/** What components get from {@link useI18n}. */
export interface I18n {
  language: Language;
  t: Messages;
  setLanguage(language: Language): void;
  /** Integer cents as euros in the current language. */
  money(cents: number): string;
  /** An ISO-8601 instant as a local date and time. */
  dateTime(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLanguage(): Language {
  const language = detectLanguage(readStoredLanguage(), navigator.languages ?? []);
  document.documentElement.lang = language;
  return language;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState(initialLanguage);

  const setLanguage = useCallback((next: Language) => {
    storeLanguage(next);
    document.documentElement.lang = next;
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const currency = new Intl.NumberFormat(language, { style: "currency", currency: "EUR" });
    const date = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
    return {
      language,
      t: DICTIONARIES[language],
      setLanguage,
      money: (cents) => currency.format(cents / 100),
      dateTime: (iso) => {
        const when = new Date(iso);
        return Number.isNaN(when.getTime()) ? iso : date.format(when);
      },
    };
  }, [language, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}

/** A label for a value the server sends (a status, an action), or the value itself if unknown. */
export function labelFor(labels: Record<string, string>, key: string): string {
  return labels[key] ?? key;
}
