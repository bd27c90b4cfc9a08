import { Link } from "wouter";
import { useI18n } from "../i18n/i18n.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t.pages.notFoundTitle);
  return (
    <section className="page narrow">
      <h1>{t.pages.notFoundTitle}</h1>
      <p>{t.pages.notFoundText}</p>
      <p>
        <Link href="/">{t.pages.goHome}</Link>
      </p>
    </section>
  );
}
