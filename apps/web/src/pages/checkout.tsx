import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "wouter";
import { Loading } from "../components/loading.js";
import { ErrorNotice, StatusNotice } from "../components/notice.js";
import { useI18n } from "../i18n/i18n.js";
import { errorInfo, errorText } from "../lib/errors.js";
import { checkoutKey, forgetCheckoutKey, hasCheckoutKey } from "../lib/idempotency.js";
import { useTRPC } from "../lib/trpc.js";
import { useDocumentTitle } from "../lib/use-document-title.js";
import { Confirmation } from "./checkout/confirmation.js";
import { inProgress, paymentErrorText, retryPayment } from "./checkout/payment-error.js";
import { NotFoundPage } from "./not-found.js";

/** Codes after which this checkout is over: its key is dropped, a new attempt gets a new one. */
const SETTLED_FAILURES = new Set(["PAYMENT_REQUIRED", "CONFLICT", "NOT_FOUND", "FORBIDDEN"]);

function Checkout({ orderId }: { orderId: number }) {
  const { t } = useI18n();
  useDocumentTitle(t.checkout.title);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Once a payment failed, the person decides: the buttons stay (disabled while a retry runs).
  const [failedOnce, setFailedOnce] = useState(false);
  // Only a press of Pay (or a reload in the middle of its payment) pays on arrival. Coming
  // back later (Back, Forward, a reload after a decline) is no decision to pay: a button asks.
  const [arrivedToPay] = useState(() => hasCheckoutKey(orderId));
  const order = useQuery(trpc.orders.byId.queryOptions({ id: orderId }));
  const pay = useMutation(
    trpc.orders.pay.mutationOptions({
      retry: retryPayment,
      retryDelay: (_, error) => Math.min(5, errorInfo(error).retryAfterSeconds ?? 1) * 1000,
      onSuccess(result) {
        forgetCheckoutKey(orderId);
        queryClient.setQueryData(trpc.orders.byId.queryKey({ id: orderId }), result.order);
      },
      onError(error) {
        setFailedOnce(true);
        if (SETTLED_FAILURES.has(errorInfo(error).code ?? "") && !inProgress(error)) {
          forgetCheckoutKey(orderId);
        }
      },
      onSettled() {
        void queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() });
      },
    }),
  );
  const cancel = useMutation(
    trpc.orders.updateStatus.mutationOptions({
      onSuccess(updated) {
        forgetCheckoutKey(orderId);
        queryClient.setQueryData(trpc.orders.byId.queryKey({ id: orderId }), updated);
      },
    }),
  );

  const payable = order.data?.status === "pending" && !order.data.payment;
  const started = useRef(false);
  useEffect(() => {
    if (!order.data) return;
    if (!payable) {
      forgetCheckoutKey(orderId);
      return;
    }
    if (started.current || !arrivedToPay) return;
    // The person pressed Pay on the previous page: the checkout starts on arrival.
    started.current = true;
    pay.mutate({ orderId, idempotencyKey: checkoutKey(orderId) });
  }, [order.data, payable, orderId, pay.mutate, arrivedToPay]);

  if (order.isPending) return <Loading />;
  if (order.isError) {
    if (errorInfo(order.error).code === "NOT_FOUND") return <NotFoundPage />;
    return <ErrorNotice>{errorText(order.error, t)}</ErrorNotice>;
  }

  const payment = pay.data?.payment ?? order.data.payment;
  if (payment) return <Confirmation order={order.data} payment={payment} />;

  const running = pay.isPending || (payable && arrivedToPay && !pay.isError);
  return (
    <section className="page narrow">
      <h1>{t.checkout.title}</h1>
      <p>
        {t.checkout.order} #{order.data.id}
      </p>
      {running ? (
        <div className="card processing" role="status" aria-live="polite">
          <span className="spinner" aria-hidden="true" />
          <div>
            <p>
              <strong>{t.checkout.connecting}</strong>
            </p>
            <p className="help">{t.checkout.connectingHelp}</p>
          </div>
        </div>
      ) : null}
      {order.data.status === "cancelled" ? (
        <StatusNotice>{t.checkout.cancelled}</StatusNotice>
      ) : null}
      {pay.isError ? <ErrorNotice>{paymentErrorText(pay.error, t)}</ErrorNotice> : null}
      {cancel.isError ? <ErrorNotice>{errorText(cancel.error, t)}</ErrorNotice> : null}
      {payable && (failedOnce || !arrivedToPay) ? (
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={pay.isPending}
            onClick={() => pay.mutate({ orderId, idempotencyKey: checkoutKey(orderId) })}
          >
            {failedOnce ? t.checkout.retry : t.home.pay}
          </button>
          <button
            type="button"
            disabled={cancel.isPending || pay.isPending}
            onClick={() => cancel.mutate({ id: orderId, status: "cancelled" })}
          >
            {t.checkout.cancel}
          </button>
        </div>
      ) : null}
      <p>
        <Link href="/">{t.checkout.backToShop}</Link>
      </p>
    </section>
  );
}

export default function CheckoutPage({ orderId }: { orderId: string }) {
  const id = Number(orderId);
  if (!/^\d{1,15}$/.test(orderId) || id <= 0) return <NotFoundPage />;
  return <Checkout orderId={id} />;
}
