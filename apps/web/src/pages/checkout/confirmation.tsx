import { Link } from "wouter";
import { useI18n } from "../../i18n/i18n.js";
import type { Order } from "../../lib/trpc.js";

/** What the receipt shows of a payment (a pay answer carries no refund state). */
type Payment = Omit<NonNullable<Order["payment"]>, "refund">;

/** The receipt: which bank took the payment, and why when it was the backup. */
export function Confirmation({ order, payment }: { order: Order; payment: Payment }) {
  const { t, money, dateTime } = useI18n();
  return (
    <section className="page narrow" aria-labelledby="confirmation-title">
      <h1 id="confirmation-title">{t.checkout.confirmed}</h1>
      <div className="card">
        <dl className="facts" data-testid="confirmation">
          <dt>{t.checkout.order}</dt>
          <dd>#{order.id}</dd>
          <dt>{t.checkout.transactionId}</dt>
          <dd data-testid="transaction-id">{payment.transactionId}</dd>
          <dt>{t.checkout.bank}</dt>
          <dd data-testid="bank" data-bank={payment.bank}>
            {payment.bank === "backup" ? t.checkout.backup : t.checkout.primary}
          </dd>
          <dt>{t.checkout.amount}</dt>
          <dd>{money(payment.amountCents)}</dd>
          <dt>{t.checkout.date}</dt>
          <dd>
            <time dateTime={payment.paidAt}>{dateTime(payment.paidAt)}</time>
          </dd>
        </dl>
        {payment.bank === "backup" ? (
          <p className="notice notice-info">{t.checkout.backupExplanation}</p>
        ) : null}
      </div>
      <p className="actions">
        <Link href="/" className="button primary">
          {t.checkout.backToShop}
        </Link>
        <Link href="/history" className="button">
          {t.checkout.seeHistory}
        </Link>
      </p>
    </section>
  );
}
