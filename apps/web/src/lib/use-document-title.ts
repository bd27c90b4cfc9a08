import { useEffect } from "react";

/** Names the tab after the page, so screen readers and history say where one is. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Shop`;
  }, [title]);
}
