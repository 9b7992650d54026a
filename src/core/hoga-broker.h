/* hoga-broker.h — the broker port: what the engine needs from a brokerage connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core defines this interface and its plain event types; adapters in broker/ implement
 * it. Nothing here knows JSON, HTTP or WebSockets. Realtime events are small fixed-size
 * structs delivered by pointer in signals (G_SIGNAL_TYPE_STATIC_SCOPE: valid only during
 * emission, never copied), so the tick path allocates nothing.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HOGA_CODE_SIZE    8    /* "005930" + NUL, room for a 7-character code */
#define HOGA_ORD_NO_SIZE 12    /* "0000138" + NUL, room for longer numbers */
#define HOGA_SEQ_SIZE     8    /* condition seq "12" + NUL */
#define HOGA_NAME_SIZE   64    /* UTF-8 name, cut at a character boundary */
#define HOGA_DEPTH_LEVELS 10

typedef enum {
  HOGA_CONNECTION_OFFLINE,
  HOGA_CONNECTION_CONNECTING,
  HOGA_CONNECTION_ONLINE,
  HOGA_CONNECTION_RECONNECTING,
} HogaConnectionState;

typedef enum {
  HOGA_SIDE_NONE = 0,
  HOGA_SIDE_SELL = 1,          /* FID 907 = 1 */
  HOGA_SIDE_BUY = 2,           /* FID 907 = 2 */
} HogaSide;

typedef enum {
  HOGA_ORDER_TYPE_LIMIT,       /* trde_tp 0 보통 */
  HOGA_ORDER_TYPE_MARKET,      /* trde_tp 3 시장가 */
} HogaOrderType;

typedef enum {
  HOGA_VENUE_KRX,
  HOGA_VENUE_NXT,
  HOGA_VENUE_SOR,
} HogaVenue;

/* FID 913 주문상태 */
typedef enum {
  HOGA_ORDER_STATUS_UNKNOWN,
  HOGA_ORDER_STATUS_RECEIVED,  /* 접수 */
  HOGA_ORDER_STATUS_FILLED,    /* 체결 (in part or in full: see unfilled_qty) */
  HOGA_ORDER_STATUS_CONFIRMED, /* 확인 (a modify/cancel carried out) */
  HOGA_ORDER_STATUS_CANCELLED, /* 취소 */
  HOGA_ORDER_STATUS_REJECTED,  /* 거부 */
} HogaOrderStatus;

/* FID 905 주문구분 */
typedef enum {
  HOGA_ORDER_KIND_NEW,         /* +매수 / -매도 */
  HOGA_ORDER_KIND_MODIFY,      /* +매수정정 / -매도정정 */
  HOGA_ORDER_KIND_CANCEL,      /* 매수취소 / 매도취소 */
} HogaOrderKind;

/* 0B 주식체결. Prices are absolute (the wire's sign is direction, kept in @sign). */
typedef struct {
  char    code[HOGA_CODE_SIZE];
  gint64  received_us;         /* g_get_monotonic_time() when the frame arrived */
  guint32 hhmmss;              /* FID 20 */
  guint8  sign;                /* FID 25: 1 상한 2 상승 3 보합 4 하한 5 하락, 0 unknown */
  guint8  session;             /* FID 290: 1 장전, 2 장중, 3 장후; 0 unknown */
  gint64  price;               /* FID 10 */
  gint64  change;              /* FID 11, signed */
  gint32  change_bp;           /* FID 12 in hundredths of a percent: -0.24 % → -24 */
  gint64  volume;              /* FID 15, signed: + buy-initiated, - sell-initiated */
  gint64  cum_volume;          /* FID 13 */
  gint64  cum_value;           /* FID 14, millions of KRW */
  gint64  open;                /* FID 16 */
  gint64  high;                /* FID 17 */
  gint64  low;                 /* FID 18 */
  gint64  best_ask;            /* FID 27 */
  gint64  best_bid;            /* FID 28 */
} HogaTick;

/* 0D 주식호가잔량: index 0 is the best level. */
typedef struct {
  char    code[HOGA_CODE_SIZE];
  gint64  received_us;
  guint32 hhmmss;              /* FID 21 */
  gint64  ask[HOGA_DEPTH_LEVELS];      /* FIDs 41–50 */
  gint64  bid[HOGA_DEPTH_LEVELS];      /* FIDs 51–60 */
  gint64  ask_qty[HOGA_DEPTH_LEVELS];  /* FIDs 61–70 */
  gint64  bid_qty[HOGA_DEPTH_LEVELS];  /* FIDs 71–80 */
  gint64  total_ask_qty;       /* FID 121 */
  gint64  total_bid_qty;       /* FID 125 */
} HogaDepth;

/* 02 조건검색 편입/이탈 */
typedef struct {
  char     seq[HOGA_SEQ_SIZE]; /* FID 841 */
  char     code[HOGA_CODE_SIZE]; /* FID 9001, normalised */
  gboolean inserted;           /* FID 843: I = TRUE, D = FALSE */
  gboolean from_snapshot;      /* a difference found by re-reading the snapshot after a
                                  reconnect, not a realtime event */
  guint32  hhmmss;             /* FID 20 */
  gint64   received_us;
} HogaConditionEvent;

/* 00 주문체결 */
typedef struct {
  char            ord_no[HOGA_ORD_NO_SIZE];       /* FID 9203 */
  char            orig_ord_no[HOGA_ORD_NO_SIZE];  /* FID 904, "0000000" for none */
  char            code[HOGA_CODE_SIZE];           /* FID 9001 */
  char            name[HOGA_NAME_SIZE];           /* FID 302 */
  char            fill_no[HOGA_ORD_NO_SIZE + 4];  /* FID 909, "" unless a fill */
  char            reject_reason[HOGA_NAME_SIZE];  /* FID 919, "" when none */
  HogaOrderStatus status;                         /* FID 913 */
  HogaOrderKind   kind;                           /* FID 905 */
  HogaSide        side;                           /* FID 907 */
  guint32         hhmmss;                         /* FID 908 */
  gint64          order_qty;                      /* FID 900 */
  gint64          order_price;                    /* FID 901, 0 for market */
  gint64          unfilled_qty;                   /* FID 902 */
  gint64          cum_amount;                     /* FID 903 */
  gint64          fill_price;                     /* FID 910, 0 unless a fill */
  gint64          fill_qty;                       /* FID 911, 0 unless a fill */
  /* FIDs 938 당일매매수수료 / 939 당일매매세금: the order's commission and transaction tax
   * so far, running totals over its fills (not this fill's share), as ka10076 reports
   * them per order; 0 until something filled. */
  gint64          fee;                            /* FID 938 */
  gint64          tax;                            /* FID 939 */
  gint64          received_us;
} HogaOrderEvent;

/* 04 잔고 */
typedef struct {
  char    code[HOGA_CODE_SIZE];  /* FID 9001 */
  char    name[HOGA_NAME_SIZE];  /* FID 302 */
  gint64  qty;                   /* FID 930 */
  gint64  avg_price;             /* FID 931 */
  gint64  purchase_amount;       /* FID 932 */
  gint64  sellable_qty;          /* FID 933 */
  gint64  price;                 /* FID 10 */
  gint64  realized_pnl;          /* FID 990, today; what costs it is net of is not
                                    documented, so the engine keeps its own figure */
  gint32  profit_bp;             /* FID 8019 in hundredths of a percent */
  gint64  received_us;
} HogaBalanceEvent;

/* 0s 장시작시간 */
typedef struct {
  char    code[4];             /* FID 215 장운영구분 */
  guint32 hhmmss;              /* FID 20 */
  gint64  remaining_s;         /* FID 214, seconds to the start, 0 when absent */
  gint64  received_us;
} HogaSessionEvent;

GType hoga_tick_get_type              (void) G_GNUC_CONST;
GType hoga_depth_get_type             (void) G_GNUC_CONST;
GType hoga_condition_event_get_type   (void) G_GNUC_CONST;
GType hoga_order_event_get_type       (void) G_GNUC_CONST;
GType hoga_balance_event_get_type     (void) G_GNUC_CONST;
GType hoga_session_event_get_type     (void) G_GNUC_CONST;

#define HOGA_TYPE_TICK            (hoga_tick_get_type ())
#define HOGA_TYPE_DEPTH           (hoga_depth_get_type ())
#define HOGA_TYPE_CONDITION_EVENT (hoga_condition_event_get_type ())
#define HOGA_TYPE_ORDER_EVENT     (hoga_order_event_get_type ())
#define HOGA_TYPE_BALANCE_EVENT   (hoga_balance_event_get_type ())
#define HOGA_TYPE_SESSION_EVENT   (hoga_session_event_get_type ())

/* Normalises a broker stock code into @out: strips a leading "A" and a "_NX"/"_AL" (any
 * "_xx") suffix and surrounding spaces. FALSE when what is left is not 1–7 ASCII
 * alphanumerics. Shared by every adapter so codes compare equal everywhere. */
gboolean hoga_code_normalize (const char *code,
                              gssize      length,
                              char        out[HOGA_CODE_SIZE]);

/* Non-realtime results (REST TRs). Plain structs with a free function. */

typedef struct {
  char  seq[HOGA_SEQ_SIZE];
  char  name[HOGA_NAME_SIZE * 2];
} HogaConditionInfo;

typedef struct {
  char    code[HOGA_CODE_SIZE];
  char    name[HOGA_NAME_SIZE];
  gint64  price;               /* last, absolute */
  gint64  base_price;          /* 기준가 */
  gint64  upper_limit;
  gint64  lower_limit;
  gint64  open;
  gint64  high;
  gint64  low;
  gint64  change;              /* signed */
  gint32  change_bp;
  gint64  volume;
} HogaStockInfo;

typedef struct {
  HogaSide      side;
  HogaOrderType type;
  HogaVenue     venue;
  char          code[HOGA_CODE_SIZE];
  gint64        qty;
  gint64        price;         /* 0 for market */
} HogaOrderRequest;

typedef struct {
  char  ord_no[HOGA_ORD_NO_SIZE];
  char  root_ord_no[HOGA_ORD_NO_SIZE];   /* base_orig_ord_no for modify/cancel, else ord_no */
  char  message[HOGA_NAME_SIZE * 2];     /* the broker's return_msg */
} HogaOrderReceipt;

typedef struct {
  char    code[HOGA_CODE_SIZE];
  char    name[HOGA_NAME_SIZE];
  gint64  qty;
  gint64  sellable_qty;
  gint64  avg_price;
  gint64  price;
  gint64  purchase_amount;
  gint64  eval_amount;
  gint64  pnl;
  gint32  profit_bp;
} HogaHoldingInfo;

typedef struct {
  gint64  total_purchase;
  gint64  total_eval;
  gint64  total_pnl;
  gint64  estimated_assets;    /* 추정예탁자산 */
  GArray *holdings;            /* HogaHoldingInfo */
} HogaBalance;

typedef struct {
  gint64  cash;                /* 예수금 */
  gint64  orderable;           /* 주문가능금액 */
  gint64  withdrawable;        /* 출금가능금액 */
  gint64  d2_cash;             /* D+2 추정예수금 */
} HogaDeposit;

/* A row of the unfilled (ka10075) or filled (ka10076) order lists. */
typedef struct {
  char          ord_no[HOGA_ORD_NO_SIZE];
  char          orig_ord_no[HOGA_ORD_NO_SIZE];
  char          code[HOGA_CODE_SIZE];
  char          name[HOGA_NAME_SIZE];
  char          status_text[16];  /* ord_stt: 접수, 체결, … */
  HogaSide      side;
  HogaOrderKind kind;
  HogaOrderType type;
  guint32       hhmmss;
  gint64        order_qty;
  gint64        order_price;
  gint64        unfilled_qty;
  gint64        filled_qty;
  gint64        fill_price;
  gint64        fee;           /* tdy_trde_cmsn: the order's commission so far */
  gint64        tax;           /* tdy_trde_tax: the order's transaction tax so far */
} HogaOrderSnapshot;

void hoga_balance_free (HogaBalance *balance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HogaBalance, hoga_balance_free)

/* Errors of broker operations. Which ones leave an order's outcome open matters: only
 * RATE_LIMITED and NETWORK say the request was not executed; OUTCOME_UNKNOWN means it may
 * have been, and must be reconciled before anything is sent again. */
#define HOGA_BROKER_ERROR (hoga_broker_error_quark ())
GQuark hoga_broker_error_quark (void);

typedef enum {
  HOGA_BROKER_ERROR_RATE_LIMITED,    /* 1700: not executed, retry after a back-off */
  HOGA_BROKER_ERROR_NETWORK,         /* nothing was sent (connect failed) */
  HOGA_BROKER_ERROR_OUTCOME_UNKNOWN, /* sent, no definitive reply (timeout, connection lost) */
  HOGA_BROKER_ERROR_REJECTED,        /* business rejection; the message is the broker's */
  HOGA_BROKER_ERROR_INVALID,         /* 15xx, 1634: the request is wrong, retrying won't help */
  HOGA_BROKER_ERROR_UNKNOWN_SYMBOL,  /* 1901, 1902 */
  HOGA_BROKER_ERROR_AUTH,            /* credentials or token refused after a re-issue */
  HOGA_BROKER_ERROR_PROTOCOL,        /* a reply that does not follow the protocol */
  HOGA_BROKER_ERROR_KICKED,          /* another session with the same app key (R10001) */
  HOGA_BROKER_ERROR_NOT_CONNECTED,   /* a realtime request while offline */
} HogaBrokerError;

#define HOGA_TYPE_BROKER (hoga_broker_get_type ())
G_DECLARE_INTERFACE (HogaBroker, hoga_broker, HOGA, BROKER, GObject)

/* The port. Properties: "state" (HogaConnectionState, read-only), "latency-us" (gint64).
 * Signals (realtime events by pointer, valid during emission only):
 *   ::tick (HogaTick*) ::depth (HogaDepth*) ::condition-event (HogaConditionEvent*)
 *   ::order-event (HogaOrderEvent*) ::balance-event (HogaBalanceEvent*)
 *   ::session-event (HogaSessionEvent*)
 *   ::rearmed () — after a reconnect, once every subscription and condition is back
 *   ::problem (GError*) — something the user must know (kicked, auth refused, …) */
struct _HogaBrokerInterface
{
  GTypeInterface parent_iface;

  void                 (*start)                  (HogaBroker          *self);
  void                 (*stop)                   (HogaBroker          *self);
  HogaConnectionState  (*get_state)              (HogaBroker          *self);

  void                 (*subscribe)              (HogaBroker          *self,
                                                  const char * const  *codes);
  void                 (*unsubscribe)            (HogaBroker          *self,
                                                  const char * const  *codes);

  void                 (*list_conditions_async)  (HogaBroker          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  GPtrArray           *(*list_conditions_finish) (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
  void                 (*start_condition_async)  (HogaBroker          *self,
                                                  const char          *seq,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  char               **(*start_condition_finish) (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
  void                 (*stop_condition)         (HogaBroker          *self,
                                                  const char          *seq);

  void                 (*stock_info_async)       (HogaBroker          *self,
                                                  const char          *code,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  HogaStockInfo       *(*stock_info_finish)      (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
  void                 (*place_order_async)      (HogaBroker          *self,
                                                  const HogaOrderRequest *request,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  void                 (*modify_order_async)     (HogaBroker          *self,
                                                  const char          *orig_ord_no,
                                                  const char          *code,
                                                  gint64               qty,
                                                  gint64               price,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  void                 (*cancel_order_async)     (HogaBroker          *self,
                                                  const char          *orig_ord_no,
                                                  const char          *code,
                                                  gint64               qty,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  HogaOrderReceipt    *(*order_finish)           (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
  void                 (*balance_async)          (HogaBroker          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  HogaBalance         *(*balance_finish)         (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
  void                 (*deposit_async)          (HogaBroker          *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  HogaDeposit         *(*deposit_finish)         (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
  /* @filled FALSE: working orders (ka10075); TRUE: orders with fills (ka10076). */
  void                 (*orders_async)           (HogaBroker          *self,
                                                  gboolean             filled,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
  GPtrArray           *(*orders_finish)          (HogaBroker          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
};

/* Wrappers for the vfuncs above, with argument checks. */
void                 hoga_broker_start                 (HogaBroker          *self);
void                 hoga_broker_stop                  (HogaBroker          *self);
HogaConnectionState  hoga_broker_get_state             (HogaBroker          *self);
void                 hoga_broker_subscribe             (HogaBroker          *self,
                                                        const char * const  *codes);
void                 hoga_broker_unsubscribe           (HogaBroker          *self,
                                                        const char * const  *codes);
void                 hoga_broker_list_conditions_async (HogaBroker          *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray           *hoga_broker_list_conditions_finish(HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 hoga_broker_start_condition_async (HogaBroker          *self,
                                                        const char          *seq,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char               **hoga_broker_start_condition_finish(HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 hoga_broker_stop_condition        (HogaBroker          *self,
                                                        const char          *seq);
void                 hoga_broker_stock_info_async      (HogaBroker          *self,
                                                        const char          *code,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HogaStockInfo       *hoga_broker_stock_info_finish     (HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 hoga_broker_place_order_async     (HogaBroker          *self,
                                                        const HogaOrderRequest *request,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void                 hoga_broker_modify_order_async    (HogaBroker          *self,
                                                        const char          *orig_ord_no,
                                                        const char          *code,
                                                        gint64               qty,
                                                        gint64               price,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
void                 hoga_broker_cancel_order_async    (HogaBroker          *self,
                                                        const char          *orig_ord_no,
                                                        const char          *code,
                                                        gint64               qty,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HogaOrderReceipt    *hoga_broker_order_finish          (HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 hoga_broker_balance_async         (HogaBroker          *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HogaBalance         *hoga_broker_balance_finish        (HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 hoga_broker_deposit_async         (HogaBroker          *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
HogaDeposit         *hoga_broker_deposit_finish        (HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 hoga_broker_orders_async          (HogaBroker          *self,
                                                        gboolean             filled,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray           *hoga_broker_orders_finish         (HogaBroker          *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

const char          *hoga_connection_state_to_string   (HogaConnectionState  state);

G_END_DECLS
