import { Link } from "wouter";
import { useI18n } from "../i18n/i18n.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

export function ForbiddenPage() {
  const { t } = useI18n();
  useDocumentTitle(t.pages.forbiddenTitle);
  return (
    <section className="page narrow">
      <h1>{t.pages.forbiddenTitle}</h1>
      <p role="alert">{t.pages.forbiddenText}</p>
      <p>
        <Link href="/">{t.pages.goHome}</Link>
      </p>
    </section>
  );
}
