import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Loading } from "../components/loading.js";
import { ErrorNotice } from "../components/notice.js";
import { Pager } from "../components/pager.js";
import { labelFor, useI18n } from "../i18n/i18n.js";
import { errorText } from "../lib/errors.js";
import { useTRPC } from "../lib/trpc.js";
import { useCursorPages } from "../lib/use-cursor-pages.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { describeDetails } from "./history/details.js";

const PAGE_SIZE = 10;

function ActionsTable() {
  const { t, dateTime, money } = useI18n();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const history = useQuery({
    ...trpc.orders.history.queryOptions({ limit: PAGE_SIZE, cursor: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  if (history.isPending) return <Loading />;
  if (history.isError) return <ErrorNotice>{errorText(history.error, t)}</ErrorNotice>;
  const { history: rows, nextCursor, total } = history.data;
  return (
    <>
      <div className="table-wrap">
        <table aria-labelledby="actions-title">
          <thead>
            <tr>
              <th scope="col">{t.history.date}</th>
              <th scope="col">{t.history.action}</th>
              <th scope="col">{t.history.details}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>
                  <time dateTime={row.createdAt}>{dateTime(row.createdAt)}</time>
                </td>
                <td>{labelFor(t.history.actionNames, row.action)}</td>
                <td>{describeDetails(row.details, { t, money })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p>{t.history.noActions}</p> : null}
      <Pager
        label={t.history.actions}
        page={pages.page}
        pages={Math.ceil(total / PAGE_SIZE)}
        hasPrevious={pages.hasPrevious}
        hasNext={nextCursor !== null}
        onPrevious={pages.previous}
        onNext={() => nextCursor && pages.next(nextCursor)}
      />
    </>
  );
}

function OrdersTable() {
  const { t, dateTime, money } = useI18n();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const list = useQuery({
    ...trpc.orders.list.queryOptions({ limit: PAGE_SIZE, cursor: pages.cursor }),
    placeholderData: keepPreviousData,
  });
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorNotice>{errorText(list.error, t)}</ErrorNotice>;
  const { orders, nextCursor, total } = list.data;
  return (
    <>
      <div className="table-wrap">
        <table aria-labelledby="orders-title">
          <thead>
            <tr>
              <th scope="col">{t.history.date}</th>
              <th scope="col">{t.history.order}</th>
              <th scope="col">{t.history.items}</th>
              <th scope="col" className="number">
                {t.history.total}
              </th>
              <th scope="col">{t.history.status}</th>
              <th scope="col">{t.history.payment}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id}>
                <td>
                  <time dateTime={order.createdAt}>{dateTime(order.createdAt)}</time>
                </td>
                <td>#{order.id}</td>
                <td>
                  {order.items.map((item) => `${item.quantity} × ${item.productName}`).join(", ")}
                </td>
                <td className="number">{money(order.totalCents)}</td>
                <td>{labelFor(t.history.statuses, order.status)}</td>
                <td>
                  {order.payment ? (
                    <>
                      {order.payment.bank === "backup" ? t.checkout.backup : t.checkout.primary}
                      {order.payment.refund ? (
                        <span data-testid="refund">
                          {" · "}
                          {order.payment.refund === "paid"
                            ? t.history.refundPaid
                            : t.history.refundOwed}
                        </span>
                      ) : null}
                    </>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {orders.length === 0 ? <p>{t.history.noOrders}</p> : null}
      <Pager
        label={t.history.orders}
        page={pages.page}
        pages={Math.ceil(total / PAGE_SIZE)}
        hasPrevious={pages.hasPrevious}
        hasNext={nextCursor !== null}
        onPrevious={pages.previous}
        onNext={() => nextCursor && pages.next(nextCursor)}
      />
    </>
  );
}

export default function HistoryPage() {
  const { t } = useI18n();
  useDocumentTitle(t.history.title);
  return (
    <div className="page">
      <h1>{t.history.title}</h1>
      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t.history.actions}</h2>
        <ActionsTable />
      </section>
      <section aria-labelledby="orders-title">
        <h2 id="orders-title">{t.history.orders}</h2>
        <OrdersTable />
      </section>
    </div>
  );
}
