import { useEffect } from "react";
import { useI18n } from "../i18n/i18n.js";

/** Names the tab after the page, so screen readers and history say where one is. */
export function useDocumentTitle(title: string): void {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${title} · ${t.app.name}`;
  }, [title, t.app.name]);
}
