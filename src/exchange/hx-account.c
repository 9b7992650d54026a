/* hx-account.c — the simulated account: cash, holdings, orders and the matching engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * State changes at once, so a REST reply or a control query made right after a request
 * sees them; every 00/04 event is queued as a snapshot and emitted from an idle in the
 * order the changes happened. A new order's first matching attempt runs in that idle too,
 * after the request handler has returned.
 *
 * Matching is against HxMarket's synthetic book, one step per trade print of the symbol:
 * a market order (or a limit the best opposite level does not exceed) takes that level
 * at its price, up to its quantity; a resting limit crossed by a print fills at its own
 * price, up to the print's size plus the best opposite level. Our fills never print.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <string.h>

#include "hx-account.h"
#include "hx-types.h"

/* Keeps qty × price × ppm arithmetic far from gint64 overflow. */
#define MAX_ORDER_QTY G_GINT64_CONSTANT (1000000000)

#define TRDE_TP_LIMIT  "0"
#define TRDE_TP_MARKET "3"

#define REJECT_REASON_SCRIPTED "모의투자 주문거부"

typedef struct {
  HxOrder  pub;               /* first, so an Order * is an HxOrder * */
  gint64   reserve_price;     /* buys: the price cash is reserved at (upper limit for market) */
  gboolean active;            /* the first matching attempt has run */
  gboolean matches;           /* fills against the market (HX_OUTCOME_NORMAL) */
} Order;

typedef struct {
  gboolean     is_balance;
  HxOrder      order;         /* the order as it was when the event happened */
  HxOrderEvent order_event;   /* .order points at .order above */
  HxHolding    holding;
} PendingEvent;

enum {
  BUYS,                       /* take the asks */
  SELLS,                      /* take the bids */
};

/* What one matching step may take from the market. */
typedef struct {
  HxBook         book;
  const HxTrade *trade;       /* NULL for the first attempt right after acceptance */
  gint64         level_left[2];
  gint64         cross_left[2];
} MatchStep;

struct _HxAccount
{
  GObject         parent_instance;

  HxMarket       *market;
  HxClock        *clock;
  guint           commission_ppm;
  guint           tax_ppm;

  gint64          cash;
  gint64          start_cash;
  gint64          realized_pnl;

  GPtrArray      *orders;     /* Order *, index = ord_no - 1 */
  GPtrArray      *working;    /* Order * with a remainder, in ord_no order */
  GPtrArray      *fills;      /* HxFill *, oldest first */
  GHashTable     *holdings;   /* symbol code → HxHolding * */
  guint           n_fills;

  HxOrderOutcome  script_outcome;
  gint64          script_param;
  guint           script_count;

  GQueue          to_activate; /* Order * waiting for their first matching attempt */
  GQueue          events;      /* PendingEvent * */
  guint           flush_id;
};

G_DEFINE_FINAL_TYPE (HxAccount, hx_account, G_TYPE_OBJECT)

enum {
  ORDER_EVENT,
  BALANCE_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean flush_cb (gpointer user_data);

static gint64
ppm_of (gint64 amount,
        guint  ppm)
{
  g_assert (amount >= 0);

  /* Split so that amount × ppm cannot overflow; the result is still the exact floor. */
  return (amount / 1000000) * ppm + (amount % 1000000) * ppm / 1000000;
}

/* floor (@value × @part / @whole) for 0 ≤ @part ≤ @whole, without overflowing. */
static gint64
proportion (gint64 value,
            gint64 part,
            gint64 whole)
{
  g_assert (value >= 0 && part >= 0 && part <= whole && whole > 0);

  return (value / whole) * part + (value % whole) * part / whole;
}

static gboolean
is_token (const char *value,
          gsize       max_len,
          gboolean    digits_only)
{
  gsize len = strlen (value);

  if (len == 0 || len > max_len)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (digits_only ? !g_ascii_isdigit (value[i])
                      : !(g_ascii_isalnum (value[i]) || value[i] == '_'))
        return FALSE;
    }

  return TRUE;
}

static gboolean
check_required (const char  *value,
                const char  *name,
                GError     **error)
{
  if (value != NULL && value[0] != '\0')
    return TRUE;

  g_set_error (error, HX_ERROR, 1511,
               "필수 입력 값에 값이 존재하지 않습니다. 요청 파라미터 : %s", name);
  return FALSE;
}

static gboolean
check_format (gboolean     ok,
              const char  *name,
              GError     **error)
{
  if (ok)
    return TRUE;

  g_set_error (error, HX_ERROR, 1517,
               "입력 값 형식이 올바르지 않습니다. 요청 파라미터 : %s", name);
  return FALSE;
}

static HxSymbol *
lookup_symbol (HxAccount   *self,
               const char  *code,
               GError     **error)
{
  HxSymbol *symbol = hx_market_lookup (self->market, code);

  if (symbol == NULL)
    g_set_error (error, HX_ERROR, 1902,
                 "종목 정보가 존재하지 않습니다. 종목코드 : %s", code);

  return symbol;
}

static gboolean
check_open (HxAccount  *self,
            GError    **error)
{
  if (hx_clock_accepts_orders (self->clock))
    return TRUE;

  g_set_error_literal (error, HX_ERROR, HX_ERROR_BUSINESS, "RC4058:모의투자 장종료");
  return FALSE;
}

static gboolean
check_qty (gint64    qty,
           GError  **error)
{
  if (qty > 0 && qty <= MAX_ORDER_QTY)
    return TRUE;

  g_set_error_literal (error, HX_ERROR, HX_ERROR_BUSINESS,
                       "RC4012:주문수량이 올바르지 않습니다");
  return FALSE;
}

static gboolean
check_price (const HxSymbol  *symbol,
             gint64           price,
             const char      *name,
             GError         **error)
{
  /* The REST layer reads an empty price as 0. */
  if (price == 0)
    return check_required (NULL, name, error);

  if (price < 0)
    return check_format (FALSE, name, error);

  if (!hoga_krx_is_on_grid (price))
    {
      g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
                   "RC4010:주문가격이 호가단위에 맞지 않습니다 (호가단위 %" G_GINT64_FORMAT "원)",
                   hoga_krx_tick_size (price));
      return FALSE;
    }

  if (price < symbol->lower_limit || price > symbol->upper_limit)
    {
      g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
                   "RC4011:주문가격이 가격제한폭을 벗어났습니다 "
                   "(%" G_GINT64_FORMAT "~%" G_GINT64_FORMAT "원)",
                   symbol->lower_limit, symbol->upper_limit);
      return FALSE;
    }

  return TRUE;
}

static gint64
commission_for (HxAccount *self,
                gint64     amount)
{
  return ppm_of (amount, self->commission_ppm) / 10 * 10;
}

static gint64
tax_for (HxAccount *self,
         gint64     amount)
{
  return ppm_of (amount, self->tax_ppm);
}

static gboolean
order_is_market (const Order *order)
{
  return strcmp (order->pub.trde_tp, TRDE_TP_MARKET) == 0;
}

static gboolean
order_is_working (const Order *order)
{
  return (order->pub.state == HX_ORDER_STATE_WORKING ||
          order->pub.state == HX_ORDER_STATE_PARTIAL) &&
         order->pub.remaining_qty > 0;
}

/* Cash a buy still needs if @remaining more shares fill at its reserve price. Costs
 * accrue on the order's running total (see apply_fill), so this is exact, not a guess. */
static gint64
order_reservation (HxAccount   *self,
                   const Order *order,
                   gint64       remaining)
{
  gint64 amount;

  if (order->pub.side != HX_SIDE_BUY)
    return 0;

  amount = remaining * order->reserve_price;

  return amount + commission_for (self, order->pub.filled_amount + amount) - order->pub.commission;
}

static gint64
get_orderable (HxAccount *self)
{
  gint64 reserved = 0;

  for (guint i = 0; i < self->working->len; i++)
    {
      const Order *order = g_ptr_array_index (self->working, i);

      reserved += order_reservation (self, order, order->pub.remaining_qty);
    }

  return self->cash - reserved;
}

static Order *
find_order (HxAccount  *self,
            const char *ord_no)
{
  guint64 n;

  if (ord_no == NULL || !is_token (ord_no, 10, TRUE))
    return NULL;

  n = g_ascii_strtoull (ord_no, NULL, 10);
  if (n == 0 || n > self->orders->len)
    return NULL;

  return g_ptr_array_index (self->orders, n - 1);
}

static void
update_sellable (HxAccount      *self,
                 const HxSymbol *symbol)
{
  HxHolding *holding = g_hash_table_lookup (self->holdings, symbol->code);
  gint64 selling = 0;

  if (holding == NULL)
    return;

  for (guint i = 0; i < self->working->len; i++)
    {
      const Order *order = g_ptr_array_index (self->working, i);

      if (order->pub.symbol == symbol && order->pub.side == HX_SIDE_SELL)
        selling += order->pub.remaining_qty;
    }

  holding->sellable_qty = MAX (holding->qty - selling, 0);
}

static void
schedule_flush (HxAccount *self)
{
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, flush_cb, self, NULL);
}

static void
queue_order_event (HxAccount   *self,
                   const Order *order,
                   const char  *status,
                   const char  *fill_no,
                   gint64       fill_price,
                   gint64       fill_qty)
{
  PendingEvent *event = g_new0 (PendingEvent, 1);

  event->order = order->pub;
  event->order_event.order = &event->order;
  event->order_event.status = status;
  g_strlcpy (event->order_event.fill_no, fill_no, sizeof event->order_event.fill_no);
  event->order_event.fill_price = fill_price;
  event->order_event.fill_qty = fill_qty;

  g_queue_push_tail (&self->events, event);
  schedule_flush (self);
}

static void
queue_balance_event (HxAccount       *self,
                     const HxHolding *holding)
{
  PendingEvent *event = g_new0 (PendingEvent, 1);

  event->is_balance = TRUE;
  event->holding = *holding;

  g_queue_push_tail (&self->events, event);
  schedule_flush (self);
}

static Order *
add_order (HxAccount     *self,
           HxOrderKind    kind,
           HxSide         side,
           HxSymbol      *symbol,
           const char    *trde_tp,
           const char    *stex,
           gint64         qty,
           gint64         price)
{
  Order *order = g_new0 (Order, 1);
  HxOrder *o = &order->pub;

  g_ptr_array_add (self->orders, order);

  g_snprintf (o->ord_no, sizeof o->ord_no, "%07u", self->orders->len);
  g_strlcpy (o->orig_ord_no, "0000000", sizeof o->orig_ord_no);
  g_strlcpy (o->root_ord_no, o->ord_no, sizeof o->root_ord_no);
  o->kind = kind;
  o->side = side;
  o->symbol = symbol;
  g_strlcpy (o->trde_tp, trde_tp, sizeof o->trde_tp);
  g_strlcpy (o->stex, stex, sizeof o->stex);
  o->qty = qty;
  o->price = price;
  o->remaining_qty = qty;
  o->state = HX_ORDER_STATE_WORKING;
  o->outcome = HX_OUTCOME_NORMAL;
  hx_clock_format_time (self->clock, o->time);

  order->reserve_price = price > 0 ? price : symbol->upper_limit;
  order->matches = TRUE;

  return order;
}

/* Puts a new or modify order on the book: its remainder counts against cash or the
 * holding from now on, and it gets its first matching attempt in the next idle. */
static void
accept_order (HxAccount *self,
              Order     *order)
{
  g_ptr_array_add (self->working, order);
  update_sellable (self, order->pub.symbol);
  queue_order_event (self, order, "접수", "", 0, 0);
  g_queue_push_tail (&self->to_activate, order);
}

/* Takes @qty off a working order's remainder, for a modify or a cancel. */
static void
reduce_order (HxAccount *self,
              Order     *order,
              gint64     qty)
{
  order->pub.remaining_qty -= qty;

  if (order->pub.remaining_qty == 0)
    {
      order->pub.state = HX_ORDER_STATE_CANCELLED;
      g_ptr_array_remove (self->working, order);
    }

  update_sellable (self, order->pub.symbol);
}

static void
apply_fill (HxAccount *self,
            Order     *order,
            gint64     price,
            gint64     qty)
{
  HxOrder *o = &order->pub;
  gint64 amount = price * qty;
  gint64 commission;
  gint64 tax = 0;
  HxHolding *holding;
  HxFill *fill;

  g_assert (qty > 0 && qty <= o->remaining_qty);

  o->filled_qty += qty;
  o->filled_amount += amount;
  o->remaining_qty -= qty;
  o->state = o->remaining_qty == 0 ? HX_ORDER_STATE_FILLED : HX_ORDER_STATE_PARTIAL;

  /* Costs are rounded on the order's running amount, so splitting an order into more
   * fills never changes what it costs in total. */
  commission = commission_for (self, o->filled_amount) - o->commission;
  o->commission += commission;
  if (o->side == HX_SIDE_SELL)
    {
      tax = tax_for (self, o->filled_amount) - o->tax;
      o->tax += tax;
    }

  if (o->remaining_qty == 0)
    g_ptr_array_remove (self->working, order);

  holding = g_hash_table_lookup (self->holdings, o->symbol->code);

  if (o->side == HX_SIDE_BUY)
    {
      if (holding == NULL)
        {
          holding = g_new0 (HxHolding, 1);
          holding->symbol = o->symbol;
          g_hash_table_insert (self->holdings, o->symbol->code, holding);
        }

      self->cash -= amount + commission;
      holding->qty += qty;
      holding->purchase_amount += amount;
      holding->purchase_commission += commission;
      holding->today_buy_qty += qty;
    }
  else
    {
      gint64 cost;
      gint64 cost_commission;
      gint64 pnl;

      /* Sells only reach here for shares held: the sellable check reserved them. */
      g_assert (holding != NULL && holding->qty >= qty);

      cost = proportion (holding->purchase_amount, qty, holding->qty);
      cost_commission = proportion (holding->purchase_commission, qty, holding->qty);
      pnl = amount - cost - cost_commission - commission - tax;

      self->cash += amount - commission - tax;
      self->realized_pnl += pnl;
      holding->realized_pnl += pnl;
      holding->qty -= qty;
      holding->purchase_amount -= cost;
      holding->purchase_commission -= cost_commission;
      holding->today_sell_qty += qty;
    }

  holding->avg_price = holding->qty > 0
    ? (2 * holding->purchase_amount + holding->qty) / (2 * holding->qty)
    : 0;
  update_sellable (self, o->symbol);

  fill = g_new0 (HxFill, 1);
  g_strlcpy (fill->ord_no, o->ord_no, sizeof fill->ord_no);
  g_snprintf (fill->fill_no, sizeof fill->fill_no, "%07u", ++self->n_fills);
  fill->symbol = o->symbol;
  fill->side = o->side;
  fill->price = price;
  fill->qty = qty;
  fill->commission = commission;
  fill->tax = tax;
  hx_clock_format_time (self->clock, fill->time);
  g_ptr_array_add (self->fills, fill);

  queue_order_event (self, order, "체결", fill->fill_no, price, qty);
  queue_balance_event (self, holding);

  if (holding->qty == 0)
    g_hash_table_remove (self->holdings, o->symbol->code);
}

static void
reject_order (HxAccount  *self,
              Order      *order,
              const char *reason)
{
  order->pub.state = HX_ORDER_STATE_REJECTED;
  order->pub.remaining_qty = 0;
  g_strlcpy (order->pub.reject_reason, reason, sizeof order->pub.reject_reason);
  g_ptr_array_remove (self->working, order);
  update_sellable (self, order->pub.symbol);

  queue_order_event (self, order, "거부", "", 0, 0);
}

static void
match_step_init (HxAccount     *self,
                 MatchStep     *step,
                 const HxSymbol *symbol,
                 const HxTrade *trade)
{
  gint64 printed = trade != NULL ? ABS (trade->qty) : 0;

  hx_market_get_book (self->market, symbol, &step->book);
  step->trade = trade;
  step->level_left[BUYS] = step->book.ask_qty[0];
  step->level_left[SELLS] = step->book.bid_qty[0];
  step->cross_left[BUYS] = trade != NULL ? printed + step->book.ask_qty[0] : 0;
  step->cross_left[SELLS] = trade != NULL ? printed + step->book.bid_qty[0] : 0;
}

static void
match_order (HxAccount *self,
             Order     *order,
             MatchStep *step)
{
  const HxOrder *o = &order->pub;
  gboolean buy = o->side == HX_SIDE_BUY;
  guint side = buy ? BUYS : SELLS;
  gint64 best = buy ? step->book.ask[0] : step->book.bid[0];
  gboolean market = order_is_market (order);
  gint64 qty;

  if (best > 0 && (market || (buy ? best <= o->price : best >= o->price)))
    {
      qty = MIN (o->remaining_qty, step->level_left[side]);
      if (qty > 0)
        {
          step->level_left[side] -= qty;
          apply_fill (self, order, best, qty);
        }
    }
  else if (!market && step->trade != NULL &&
           (buy ? step->trade->price <= o->price : step->trade->price >= o->price))
    {
      qty = MIN (o->remaining_qty, step->cross_left[side]);
      if (qty > 0)
        {
          step->cross_left[side] -= qty;
          apply_fill (self, order, o->price, qty);
        }
    }
}

/* A scripted fill happens at the current price, but never worse than the limit. */
static gint64
scripted_fill_price (const Order *order)
{
  gint64 current = hx_symbol_current_price (order->pub.symbol);

  if (order_is_market (order))
    return current;

  return order->pub.side == HX_SIDE_BUY ? MIN (current, order->pub.price)
                                        : MAX (current, order->pub.price);
}

static void
activate_order (HxAccount *self,
                Order     *order)
{
  gint64 qty;

  order->active = TRUE;

  /* It may have been cancelled or moved before this idle ran. */
  if (!order_is_working (order))
    return;

  switch (order->pub.outcome)
    {
    case HX_OUTCOME_NORMAL:
      if (hx_clock_is_trading (self->clock))
        {
          MatchStep step;

          match_step_init (self, &step, order->pub.symbol, NULL);
          match_order (self, order, &step);
        }
      break;

    case HX_OUTCOME_FILL:
      apply_fill (self, order, scripted_fill_price (order), order->pub.remaining_qty);
      break;

    case HX_OUTCOME_PARTIAL:
      qty = CLAMP (order->pub.outcome_param, 0, order->pub.remaining_qty);
      if (qty > 0)
        apply_fill (self, order, scripted_fill_price (order), qty);
      break;

    case HX_OUTCOME_REST:
      break;

    case HX_OUTCOME_REJECT_EVENT:
      reject_order (self, order, REJECT_REASON_SCRIPTED);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* The common front of modify and cancel: input checks, then the original order, which
 * must be a working new/modify order of the same symbol. */
static Order *
find_original (HxAccount   *self,
               const char  *orig_ord_no,
               const char  *code,
               GError     **error)
{
  HxSymbol *symbol;
  Order *orig;

  if (!check_required (orig_ord_no, "orig_ord_no", error) ||
      !check_required (code, "stk_cd", error) ||
      !check_format (is_token (orig_ord_no, 10, TRUE), "orig_ord_no", error) ||
      !check_format (is_token (code, 12, FALSE), "stk_cd", error))
    return NULL;

  if (!(symbol = lookup_symbol (self, code, error)) ||
      !check_open (self, error))
    return NULL;

  orig = find_order (self, orig_ord_no);
  if (orig == NULL || orig->pub.symbol != symbol || orig->pub.kind == HX_ORDER_CANCEL)
    {
      g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
                   "RC4040:원주문번호가 존재하지 않습니다 (원주문번호 %s)", orig_ord_no);
      return NULL;
    }

  if (!order_is_working (orig))
    {
      g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
                   "RC4040:정정/취소 가능한 수량이 없습니다 (원주문번호 %s)", orig->pub.ord_no);
      return NULL;
    }

  return orig;
}

/* @qty 0 means the whole remainder. */
static gboolean
check_acted_qty (const Order  *orig,
                 gint64        qty,
                 GError      **error)
{
  if (qty >= 0 && qty <= orig->pub.remaining_qty)
    return TRUE;

  g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
               "RC4012:정정/취소 수량이 미체결수량(%" G_GINT64_FORMAT ")을 초과합니다",
               orig->pub.remaining_qty);
  return FALSE;
}

static int
compare_holdings (gconstpointer a,
                  gconstpointer b)
{
  const HxHolding *ha = *(const HxHolding * const *)a;
  const HxHolding *hb = *(const HxHolding * const *)b;

  return strcmp (ha->symbol->code, hb->symbol->code);
}

static gboolean
flush_cb (gpointer user_data)
{
  g_autoptr(HxAccount) self = g_object_ref (HX_ACCOUNT (user_data));
  Order *order;

  self->flush_id = 0;

  while ((order = g_queue_pop_head (&self->to_activate)) != NULL)
    activate_order (self, order);

  /* A handler may place orders: their events join this queue and are sent in turn. */
  while (!g_queue_is_empty (&self->events))
    {
      g_autofree PendingEvent *event = g_queue_pop_head (&self->events);

      if (event->is_balance)
        g_signal_emit (self, signals[BALANCE_EVENT], 0, &event->holding);
      else
        g_signal_emit (self, signals[ORDER_EVENT], 0, &event->order_event);
    }

  return G_SOURCE_REMOVE;
}

static void
market_trade_cb (HxMarket *market,
                 gpointer  data,
                 gpointer  user_data)
{
  HxAccount *self = user_data;
  const HxTrade *trade = data;
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  MatchStep step;

  /* Collected first: a fill takes a finished order off the working list. */
  for (guint i = 0; i < self->working->len; i++)
    {
      Order *order = g_ptr_array_index (self->working, i);

      if (order->active && order->matches && order->pub.symbol == trade->symbol)
        g_ptr_array_add (candidates, order);
    }

  if (candidates->len == 0)
    return;

  match_step_init (self, &step, trade->symbol, trade);

  for (guint i = 0; i < candidates->len; i++)
    match_order (self, g_ptr_array_index (candidates, i), &step);
}

static void
hx_account_dispose (GObject *object)
{
  HxAccount *self = (HxAccount *)object;

  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->market != NULL)
    g_signal_handlers_disconnect_by_func (self->market, market_trade_cb, self);

  g_clear_object (&self->market);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (hx_account_parent_class)->dispose (object);
}

static void
hx_account_finalize (GObject *object)
{
  HxAccount *self = (HxAccount *)object;

  g_queue_clear (&self->to_activate);
  g_queue_clear_full (&self->events, g_free);
  g_clear_pointer (&self->holdings, g_hash_table_unref);
  g_clear_pointer (&self->fills, g_ptr_array_unref);
  g_clear_pointer (&self->working, g_ptr_array_unref);
  g_clear_pointer (&self->orders, g_ptr_array_unref);

  G_OBJECT_CLASS (hx_account_parent_class)->finalize (object);
}

static void
hx_account_class_init (HxAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_account_dispose;
  object_class->finalize = hx_account_finalize;

  signals[ORDER_EVENT] =
    g_signal_new ("order-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);

  signals[BALANCE_EVENT] =
    g_signal_new ("balance-event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
hx_account_init (HxAccount *self)
{
  self->orders = g_ptr_array_new_with_free_func (g_free);
  self->working = g_ptr_array_new ();
  self->fills = g_ptr_array_new_with_free_func (g_free);
  self->holdings = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_queue_init (&self->to_activate);
  g_queue_init (&self->events);
}

HxAccount *
hx_account_new (HxMarket *market,
                HxClock  *clock,
                gint64    cash,
                guint     commission_ppm,
                guint     tax_ppm)
{
  HxAccount *self;

  g_return_val_if_fail (HX_IS_MARKET (market), NULL);
  g_return_val_if_fail (HX_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (commission_ppm <= 1000000 && tax_ppm <= 1000000, NULL);

  self = g_object_new (HX_TYPE_ACCOUNT, NULL);
  self->market = g_object_ref (market);
  self->clock = g_object_ref (clock);
  self->cash = cash;
  self->start_cash = cash;
  self->commission_ppm = commission_ppm;
  self->tax_ppm = tax_ppm;

  g_signal_connect_object (market, "trade", G_CALLBACK (market_trade_cb), self, 0);

  return self;
}

const HxOrder *
hx_account_place (HxAccount   *self,
                  HxSide       side,
                  const char  *code,
                  gint64       qty,
                  gint64       price,
                  const char  *trde_tp,
                  const char  *stex,
                  GError     **error)
{
  HxSymbol *symbol;
  Order *order;
  gboolean market;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (side == HX_SIDE_BUY || side == HX_SIDE_SELL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_required (stex, "dmst_stex_tp", error) ||
      !check_required (code, "stk_cd", error) ||
      !check_required (trde_tp, "trde_tp", error) ||
      !check_format (is_token (stex, 3, FALSE), "dmst_stex_tp", error) ||
      !check_format (is_token (code, 12, FALSE), "stk_cd", error) ||
      !check_format (is_token (trde_tp, 2, TRUE), "trde_tp", error))
    return NULL;

  if (!(symbol = lookup_symbol (self, code, error)))
    return NULL;

  /* As Kiwoom's mock server, which has no NXT and no SOR. */
  if (strcmp (stex, "KRX") != 0)
    {
      g_set_error_literal (error, HX_ERROR, HX_ERROR_BUSINESS,
                           "RC9000:모의투자에서는 해당업무가 제공되지 않습니다");
      return NULL;
    }

  market = strcmp (trde_tp, TRDE_TP_MARKET) == 0;
  if (!market && strcmp (trde_tp, TRDE_TP_LIMIT) != 0)
    {
      g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
                   "RC9000:시뮬레이터는 보통(0)과 시장가(3) 주문만 지원합니다 (trde_tp %s)",
                   trde_tp);
      return NULL;
    }

  if (!check_open (self, error) || !check_qty (qty, error))
    return NULL;

  /* Kiwoom ignores ord_uv on a market order. */
  if (market)
    price = 0;
  else if (!check_price (symbol, price, "ord_uv", error))
    return NULL;

  if (side == HX_SIDE_BUY)
    {
      gint64 amount = qty * (market ? symbol->upper_limit : price);

      if (amount + commission_for (self, amount) > get_orderable (self))
        {
          g_set_error_literal (error, HX_ERROR, HX_ERROR_BUSINESS,
                               "RC4025:주문가능금액을 초과하였습니다");
          return NULL;
        }
    }
  else
    {
      const HxHolding *holding = g_hash_table_lookup (self->holdings, symbol->code);

      if (holding == NULL || qty > holding->sellable_qty)
        {
          g_set_error (error, HX_ERROR, HX_ERROR_BUSINESS,
                       "RC4032:매도가능수량을 초과하였습니다 (매도가능수량 %" G_GINT64_FORMAT ")",
                       holding != NULL ? holding->sellable_qty : 0);
          return NULL;
        }
    }

  order = add_order (self, HX_ORDER_NEW, side, symbol, trde_tp, stex, qty, price);

  if (self->script_count > 0)
    {
      self->script_count--;
      order->pub.outcome = self->script_outcome;
      order->pub.outcome_param = self->script_param;
      order->matches = self->script_outcome == HX_OUTCOME_NORMAL;
    }

  accept_order (self, order);

  return &order->pub;
}

const HxOrder *
hx_account_modify (HxAccount   *self,
                   const char  *orig_ord_no,
                   const char  *code,
                   gint64       qty,
                   gint64       price,
                   GError     **error)
{
  Order *orig;
  Order *order;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(orig = find_original (self, orig_ord_no, code, error)) ||
      !check_acted_qty (orig, qty, error))
    return NULL;

  if (qty == 0)
    qty = orig->pub.remaining_qty;

  if (order_is_market (orig))
    price = 0;
  else if (!check_price (orig->pub.symbol, price, "mdfy_uv", error))
    return NULL;

  if (orig->pub.side == HX_SIDE_BUY)
    {
      gint64 released = order_reservation (self, orig, orig->pub.remaining_qty) -
                        order_reservation (self, orig, orig->pub.remaining_qty - qty);
      gint64 amount = qty * (price > 0 ? price : orig->pub.symbol->upper_limit);

      if (amount + commission_for (self, amount) > get_orderable (self) + released)
        {
          g_set_error_literal (error, HX_ERROR, HX_ERROR_BUSINESS,
                               "RC4025:주문가능금액을 초과하였습니다");
          return NULL;
        }
    }

  order = add_order (self, HX_ORDER_MODIFY, orig->pub.side, orig->pub.symbol,
                     orig->pub.trde_tp, orig->pub.stex, qty, price);
  g_strlcpy (order->pub.orig_ord_no, orig->pub.ord_no, sizeof order->pub.orig_ord_no);
  g_strlcpy (order->pub.root_ord_no, orig->pub.root_ord_no, sizeof order->pub.root_ord_no);
  /* A scripted order stays out of the market when its remainder moves. */
  order->matches = orig->matches;
  order->pub.outcome = orig->matches ? HX_OUTCOME_NORMAL : HX_OUTCOME_REST;

  reduce_order (self, orig, qty);
  accept_order (self, order);
  queue_order_event (self, order, "확인", "", 0, 0);
  queue_order_event (self, orig, "확인", "", 0, 0);

  return &order->pub;
}

const HxOrder *
hx_account_cancel (HxAccount   *self,
                   const char  *orig_ord_no,
                   const char  *code,
                   gint64       qty,
                   GError     **error)
{
  Order *orig;
  Order *order;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(orig = find_original (self, orig_ord_no, code, error)) ||
      !check_acted_qty (orig, qty, error))
    return NULL;

  if (qty == 0)
    qty = orig->pub.remaining_qty;

  order = add_order (self, HX_ORDER_CANCEL, orig->pub.side, orig->pub.symbol,
                     orig->pub.trde_tp, orig->pub.stex, qty, orig->pub.price);
  g_strlcpy (order->pub.orig_ord_no, orig->pub.ord_no, sizeof order->pub.orig_ord_no);
  g_strlcpy (order->pub.root_ord_no, orig->pub.root_ord_no, sizeof order->pub.root_ord_no);
  order->pub.remaining_qty = 0;
  order->pub.state = HX_ORDER_STATE_CONFIRMED;
  order->active = TRUE;

  reduce_order (self, orig, qty);
  queue_order_event (self, order, "접수", "", 0, 0);
  queue_order_event (self, order, "확인", "", 0, 0);
  queue_order_event (self, orig, "취소", "", 0, 0);

  return &order->pub;
}

void
hx_account_script_outcome (HxAccount      *self,
                           HxOrderOutcome  outcome,
                           gint64          param,
                           guint           count)
{
  g_return_if_fail (HX_IS_ACCOUNT (self));
  g_return_if_fail (outcome <= HX_OUTCOME_REJECT_EVENT);

  self->script_outcome = outcome;
  self->script_param = param;
  self->script_count = count;
}

GPtrArray *
hx_account_list_orders (HxAccount *self)
{
  GPtrArray *orders;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);

  orders = g_ptr_array_sized_new (self->orders->len);
  for (guint i = 0; i < self->orders->len; i++)
    g_ptr_array_add (orders, g_ptr_array_index (self->orders, i));

  return orders;
}

GPtrArray *
hx_account_list_fills (HxAccount *self)
{
  GPtrArray *fills;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);

  fills = g_ptr_array_sized_new (self->fills->len);
  for (guint i = self->fills->len; i > 0; i--)
    g_ptr_array_add (fills, g_ptr_array_index (self->fills, i - 1));

  return fills;
}

GPtrArray *
hx_account_list_holdings (HxAccount *self)
{
  GPtrArray *holdings;
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);

  holdings = g_ptr_array_sized_new (g_hash_table_size (self->holdings));
  g_hash_table_iter_init (&iter, self->holdings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (holdings, value);
  g_ptr_array_sort (holdings, compare_holdings);

  return holdings;
}

const HxOrder *
hx_account_lookup_order (HxAccount  *self,
                         const char *ord_no)
{
  Order *order;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);

  order = find_order (self, ord_no);

  return order != NULL ? &order->pub : NULL;
}

const HxHolding *
hx_account_lookup_holding (HxAccount  *self,
                           const char *code)
{
  HxSymbol *symbol;

  g_return_val_if_fail (HX_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  if (!(symbol = hx_market_lookup (self->market, code)))
    return NULL;

  return g_hash_table_lookup (self->holdings, symbol->code);
}

gint64
hx_account_get_cash (HxAccount *self)
{
  g_return_val_if_fail (HX_IS_ACCOUNT (self), 0);

  return self->cash;
}

gint64
hx_account_get_orderable (HxAccount *self)
{
  g_return_val_if_fail (HX_IS_ACCOUNT (self), 0);

  return get_orderable (self);
}

gint64
hx_account_get_start_cash (HxAccount *self)
{
  g_return_val_if_fail (HX_IS_ACCOUNT (self), 0);

  return self->start_cash;
}

void
hx_account_set_cash (HxAccount *self,
                     gint64     cash)
{
  g_return_if_fail (HX_IS_ACCOUNT (self));

  /* A deposit or withdrawal, not trading: the start of the day moves with it. */
  self->start_cash += cash - self->cash;
  self->cash = cash;
}

gint64
hx_account_get_realized_pnl (HxAccount *self)
{
  g_return_val_if_fail (HX_IS_ACCOUNT (self), 0);

  return self->realized_pnl;
}

gint64
hx_account_compute_commission (HxAccount *self,
                               gint64     amount)
{
  g_return_val_if_fail (HX_IS_ACCOUNT (self), 0);
  g_return_val_if_fail (amount >= 0, 0);

  return commission_for (self, amount);
}

gint64
hx_account_compute_tax (HxAccount *self,
                        gint64     amount)
{
  g_return_val_if_fail (HX_IS_ACCOUNT (self), 0);
  g_return_val_if_fail (amount >= 0, 0);

  return tax_for (self, amount);
}
