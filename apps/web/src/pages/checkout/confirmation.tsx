import { Link } from "wouter";
import { StatusNotice } from "../../components/notice.js";
import type { Messages } from "../../i18n/en.js";
import { useI18n } from "../../i18n/i18n.js";
import type { Order } from "../../lib/trpc.js";

/** What the receipt shows of a payment (a pay answer carries no refund state). */
type Payment = Omit<NonNullable<Order["payment"]>, "refund">;

/** What became of a paid order since, when it was cancelled: its refund, owed or paid back. */
function cancelledText(order: Order, t: Messages): string | null {
  if (order.status !== "cancelled") return null;
  if (order.payment?.refund === "paid") return t.checkout.cancelledRefunded;
  if (order.payment?.refund === "owed") return t.checkout.cancelledRefundOwed;
  return t.checkout.cancelled;
}

/**
 * The receipt: which bank took the payment, and why when it was the backup;
 * opened again after the order was cancelled, it says so and where the refund is.
 */
export function Confirmation({ order, payment }: { order: Order; payment: Payment }) {
  const { t, money, dateTime } = useI18n();
  const cancelled = cancelledText(order, t);
  return (
    <section className="page narrow" aria-labelledby="confirmation-title">
      <h1 id="confirmation-title">{t.checkout.confirmed}</h1>
      {cancelled ? <StatusNotice>{cancelled}</StatusNotice> : null}
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
