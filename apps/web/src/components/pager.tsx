import { useI18n } from "../i18n/i18n.js";

interface PagerProps {
  /** What is paged, for the navigation's label ("Orders"). */
  label: string;
  page: number;
  pages: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
}

export function Pager(props: PagerProps) {
  const { t } = useI18n();
  if (props.pages <= 1 && !props.hasNext && !props.hasPrevious) return null;
  return (
    <nav className="pager" aria-label={t.pager.label(props.label)}>
      <button type="button" onClick={props.onPrevious} disabled={!props.hasPrevious}>
        {t.pager.previous}
      </button>
      <span aria-live="polite">{t.pager.page(props.page, Math.max(props.pages, props.page))}</span>
      <button type="button" onClick={props.onNext} disabled={!props.hasNext}>
        {t.pager.next}
      </button>
    </nav>
  );
}
