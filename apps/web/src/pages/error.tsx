import { useI18n } from "../i18n/i18n.js";

/** Shown by the error boundary; plain links and buttons only, since the app itself failed. */
export function ErrorPage() {
  const { t } = useI18n();
  return (
    <section className="page narrow">
      <h1>{t.pages.errorTitle}</h1>
      <p role="alert">{t.pages.errorText}</p>
      <p className="actions">
        <button type="button" onClick={() => window.location.reload()}>
          {t.pages.reload}
        </button>
        <a href="/">{t.pages.goHome}</a>
      </p>
    </section>
  );
}
