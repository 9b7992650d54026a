/* hx-account.h — the simulated account: cash, holdings, orders and the matching engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hx-clock.h"
#include "hx-market.h"

G_BEGIN_DECLS

#define HX_ORD_NO_LEN 7          /* "0000138" */

typedef enum {
  HX_ORDER_NEW,
  HX_ORDER_MODIFY,               /* 정정 */
  HX_ORDER_CANCEL,               /* 취소 */
} HxOrderKind;

typedef enum {
  HX_ORDER_STATE_WORKING,        /* 접수, nothing filled yet */
  HX_ORDER_STATE_PARTIAL,        /* 체결 in part */
  HX_ORDER_STATE_FILLED,         /* 체결 in full */
  HX_ORDER_STATE_CANCELLED,      /* remainder cancelled or moved by a modify */
  HX_ORDER_STATE_REJECTED,       /* 거부 after acceptance */
  HX_ORDER_STATE_CONFIRMED,      /* a modify/cancel request that was carried out (확인) */
} HxOrderState;

typedef enum {
  HX_OUTCOME_NORMAL,             /* match against the market as usual */
  HX_OUTCOME_FILL,               /* fill in full at once at the current price */
  HX_OUTCOME_PARTIAL,            /* fill @param shares now, then rest without filling */
  HX_OUTCOME_REST,               /* accept and never fill (until cancelled) */
  HX_OUTCOME_REJECT_EVENT,       /* accept (REST ok), then a 00 거부 event */
} HxOrderOutcome;

typedef struct {
  char          ord_no[HX_ORD_NO_LEN + 1];
  char          orig_ord_no[HX_ORD_NO_LEN + 1];   /* "0000000" for a new order */
  char          root_ord_no[HX_ORD_NO_LEN + 1];   /* first order of a modify/cancel chain */
  HxOrderKind   kind;
  HxSide        side;
  HxSymbol     *symbol;
  char          trde_tp[3];      /* request code: "0" 보통, "3" 시장가, … */
  char          stex[4];         /* "KRX" */
  gint64        qty;             /* ordered (for modify/cancel: the quantity acted on) */
  gint64        price;           /* 0 for market */
  gint64        filled_qty;
  gint64        filled_amount;   /* Σ price × qty (체결누계금액) */
  gint64        remaining_qty;   /* 미체결 */
  gint64        commission;      /* today's, for this order */
  gint64        tax;
  HxOrderState  state;
  char          time[7];         /* HHMMSS accepted (session clock) */
  char          reject_reason[64];
  HxOrderOutcome outcome;
  gint64        outcome_param;
} HxOrder;

typedef struct {
  HxSymbol *symbol;
  gint64    qty;                 /* 보유수량 */
  gint64    sellable_qty;        /* qty minus working sell orders */
  gint64    avg_price;           /* 매입단가, KRW, rounded half up */
  gint64    purchase_amount;     /* Σ cost of the shares still held */
  gint64    purchase_commission;
  gint64    today_buy_qty;
  gint64    today_sell_qty;
  gint64    realized_pnl;        /* today, after costs */
} HxHolding;

typedef struct {
  const HxOrder *order;
  const char    *status;         /* FID 913: "접수" "체결" "확인" "취소" "거부" */
  char           fill_no[16];    /* FID 909, "" unless 체결 */
  gint64         fill_price;     /* FID 910 / 914, 0 unless 체결 */
  gint64         fill_qty;       /* FID 911 / 915 */
} HxOrderEvent;

typedef struct {
  char    ord_no[HX_ORD_NO_LEN + 1];
  char    fill_no[16];
  HxSymbol *symbol;
  HxSide  side;
  gint64  price;
  gint64  qty;
  gint64  commission;
  gint64  tax;
  char    time[7];
} HxFill;

#define HX_TYPE_ACCOUNT (hx_account_get_type ())
G_DECLARE_FINAL_TYPE (HxAccount, hx_account, HX, ACCOUNT, GObject)

/* Signals:
 *   ::order-event   (gpointer const HxOrderEvent *) — every 00 push
 *   ::balance-event (gpointer const HxHolding *)    — every 04 push, after each fill
 * Events are emitted from an idle after the request returns, so a REST reply is built
 * before its 00 events are sent (the order in which Kiwoom is usually seen).
 * Both carry snapshots taken when the change happened, valid during the emission only:
 * HxOrderEvent.order is a copy of the order (look the live one up by ord_no), and the
 * balance-event holding may have qty 0 (the last share sold; it has left the list).
 *
 * Prices: commission_ppm and tax_ppm are parts per million of the traded amount,
 * floored to 10 KRW as brokers do; tax applies to sells only. */
HxAccount       *hx_account_new             (HxMarket      *market,
                                             HxClock       *clock,
                                             gint64         cash,
                                             guint          commission_ppm,
                                             guint          tax_ppm);

/* Orders. Each returns the new order (owned by the account) or NULL with an HX_ERROR:
 * 1511/1517 for bad input, 1902 for an unknown symbol, HX_ERROR_BUSINESS with an
 * "RCxxxx:…" message for a business rejection (closed market, no cash, no holding,
 * price off the grid or outside the limits, unknown or finished original order). */
const HxOrder   *hx_account_place           (HxAccount     *self,
                                             HxSide         side,
                                             const char    *code,
                                             gint64         qty,
                                             gint64         price,
                                             const char    *trde_tp,
                                             const char    *stex,
                                             GError       **error);
const HxOrder   *hx_account_modify          (HxAccount     *self,
                                             const char    *orig_ord_no,
                                             const char    *code,
                                             gint64         qty,
                                             gint64         price,
                                             GError       **error);
/* @qty 0 cancels the whole remainder. */
const HxOrder   *hx_account_cancel          (HxAccount     *self,
                                             const char    *orig_ord_no,
                                             const char    *code,
                                             gint64         qty,
                                             GError       **error);

/* Test scripting: the next @count new orders get @outcome (param: shares for PARTIAL). */
void             hx_account_script_outcome  (HxAccount     *self,
                                             HxOrderOutcome outcome,
                                             gint64         param,
                                             guint          count);

/* Queries (borrowed pointers, valid until the next change). Orders in ord_no order;
 * fills newest first; holdings sorted by code. Each returns a new array of borrowed
 * elements: free it with g_ptr_array_unref(). Orders and fills live as long as the
 * account; a holding is freed when its quantity reaches 0. */
GPtrArray       *hx_account_list_orders     (HxAccount     *self);
GPtrArray       *hx_account_list_fills      (HxAccount     *self);
GPtrArray       *hx_account_list_holdings   (HxAccount     *self);
const HxOrder   *hx_account_lookup_order    (HxAccount     *self,
                                             const char    *ord_no);
const HxHolding *hx_account_lookup_holding  (HxAccount     *self,
                                             const char    *code);

gint64           hx_account_get_cash        (HxAccount     *self);   /* 예수금 */
gint64           hx_account_get_orderable   (HxAccount     *self);   /* 주문가능금액 */
gint64           hx_account_get_start_cash  (HxAccount     *self);
void             hx_account_set_cash        (HxAccount     *self,
                                             gint64         cash);
gint64           hx_account_get_realized_pnl(HxAccount     *self);   /* today, all symbols */

/* Costs of a traded @amount with the account's rounding, for estimates such as
 * kt00018's sell_cmsn and tax. */
gint64           hx_account_compute_commission (HxAccount *self,
                                                gint64     amount);
gint64           hx_account_compute_tax     (HxAccount     *self,    /* sells only */
                                             gint64         amount);

G_END_DECLS
