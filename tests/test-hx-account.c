/* test-hx-account.c — hoga-exchange's account: orders, matching, costs, events, queries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The market is not running, so every price moves only by hx_market_trade(). Before its
 * first print a symbol's book is bid = base, ask = base + 1 tick; after a buy-initiated
 * print at P it is ask = P, bid = P - 1 tick (sell-initiated: bid = P, ask = P + 1 tick).
 * Level sizes come from hx_market_get_book(), so they are read, never guessed.
 */
#include "config.h"

#include <string.h>

#include "hx-account.h"

#ifdef HX_STANDALONE_TEST
/* Normally in hx-exchange.c, which a hand-built test does not link. */
G_DEFINE_QUARK (hx-error-quark, hx_error)
#endif

#define START_CASH     G_GINT64_CONSTANT (100000000)
#define BIG_CASH       G_GINT64_CONSTANT (1000000000)
#define COMMISSION_PPM 150
#define TAX_PPM        1800

/* 005930: tick 100, limits 49,000–91,000. */
static const char symbols_tsv[] =
  "# code\tname\tbase\tmarket\tvolume\n"
  "005930\t삼성전자\t70000\tKOSPI\t15000000\n"
  "035720\t카카오\t50000\tKOSPI\t2000000\n";

typedef struct {
  char         status[16];
  char         ord_no[HX_ORD_NO_LEN + 1];
  HxOrderState state;
  gint64       remaining;
  gint64       filled;
  gint64       filled_amount;
  char         fill_no[16];
  gint64       fill_price;
  gint64       fill_qty;
} SeenOrderEvent;

typedef struct {
  HxClock   *clock;
  HxMarket  *market;
  HxAccount *account;
  HxSymbol  *samsung;
  HxSymbol  *kakao;
  GArray    *order_events;    /* SeenOrderEvent */
  GArray    *balance_events;  /* HxHolding */
  GPtrArray *log;             /* "접수 0000001", "잔고 005930 10", … in emission order */
} Fixture;

static void
order_event_cb (HxAccount *account,
                gpointer   data,
                gpointer   user_data)
{
  const HxOrderEvent *event = data;
  Fixture *f = user_data;
  SeenOrderEvent seen = { 0 };

  g_strlcpy (seen.status, event->status, sizeof seen.status);
  g_strlcpy (seen.ord_no, event->order->ord_no, sizeof seen.ord_no);
  seen.state = event->order->state;
  seen.remaining = event->order->remaining_qty;
  seen.filled = event->order->filled_qty;
  seen.filled_amount = event->order->filled_amount;
  g_strlcpy (seen.fill_no, event->fill_no, sizeof seen.fill_no);
  seen.fill_price = event->fill_price;
  seen.fill_qty = event->fill_qty;

  g_array_append_val (f->order_events, seen);
  g_ptr_array_add (f->log, g_strdup_printf ("%s %s", event->status, event->order->ord_no));
}

static void
balance_event_cb (HxAccount *account,
                  gpointer   data,
                  gpointer   user_data)
{
  const HxHolding *holding = data;
  Fixture *f = user_data;

  g_array_append_val (f->balance_events, *holding);
  g_ptr_array_add (f->log, g_strdup_printf ("잔고 %s %" G_GINT64_FORMAT,
                                            holding->symbol->code, holding->qty));
}

static HxMarket *
new_market (HxClock *clock)
{
  g_autoptr(GBytes) tsv = g_bytes_new_static (symbols_tsv, strlen (symbols_tsv));
  g_autoptr(GError) error = NULL;
  HxMarket *market = hx_market_new (clock, 7);

  hx_market_load_symbols (market, tsv, &error);
  g_assert_no_error (error);

  return market;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  f->market = new_market (f->clock);
  f->account = hx_account_new (f->market, f->clock, START_CASH, COMMISSION_PPM, TAX_PPM);
  f->samsung = hx_market_lookup (f->market, "005930");
  f->kakao = hx_market_lookup (f->market, "035720");
  g_assert_nonnull (f->samsung);
  g_assert_nonnull (f->kakao);

  f->order_events = g_array_new (FALSE, TRUE, sizeof (SeenOrderEvent));
  f->balance_events = g_array_new (FALSE, TRUE, sizeof (HxHolding));
  f->log = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->account, "order-event", G_CALLBACK (order_event_cb), f);
  g_signal_connect (f->account, "balance-event", G_CALLBACK (balance_event_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->account);
  g_assert_finalize_object (f->market);
  g_assert_finalize_object (f->clock);
  g_array_unref (f->order_events);
  g_array_unref (f->balance_events);
  g_ptr_array_unref (f->log);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Asserts that exactly these events (NULL-terminated) were emitted since the last call. */
static void
assert_log (Fixture    *f,
            const char *first,
            ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *expected = first; expected != NULL; expected = va_arg (args, const char *))
    {
      g_assert_cmpuint (i, <, f->log->len);
      g_assert_cmpstr (g_ptr_array_index (f->log, i), ==, expected);
      i++;
    }
  va_end (args);

  g_assert_cmpuint (f->log->len, ==, i);
  g_ptr_array_set_size (f->log, 0);
}

static const HxOrder *
place (Fixture    *f,
       HxSide      side,
       const char *code,
       gint64      qty,
       gint64      price,
       const char *trde_tp)
{
  g_autoptr(GError) error = NULL;
  const HxOrder *order;

  order = hx_account_place (f->account, side, code, qty, price, trde_tp, "KRX", &error);
  g_assert_no_error (error);
  g_assert_nonnull (order);

  return order;
}

static void
assert_business_error (GError     *error,
                       const char *rc)
{
  g_assert_error (error, HX_ERROR, HX_ERROR_BUSINESS);
  g_assert_true (g_str_has_prefix (error->message, rc));
  g_assert_cmpint (error->message[strlen (rc)], ==, ':');
}

/* Takes a query's array, for asserting its length. */
static guint
steal_len (GPtrArray *array)
{
  g_autoptr(GPtrArray) owned = array;

  return owned->len;
}

static gint64
commission (gint64 amount)
{
  return amount * COMMISSION_PPM / 1000000 / 10 * 10;
}

static void
test_market_buy (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) fills = NULL;
  const HxOrder *order;
  const HxHolding *holding;
  const HxFill *fill;
  HxBook book;

  hx_market_get_book (f->market, f->samsung, &book);
  g_assert_cmpint (book.ask[0], ==, 70100);
  g_assert_cmpint (book.ask_qty[0], >=, 10);

  order = place (f, HX_SIDE_BUY, "005930", 10, 0, "3");
  g_assert_cmpstr (order->ord_no, ==, "0000001");
  g_assert_cmpstr (order->orig_ord_no, ==, "0000000");
  g_assert_cmpstr (order->root_ord_no, ==, "0000001");
  g_assert_cmpint (order->kind, ==, HX_ORDER_NEW);
  g_assert_cmpstr (order->trde_tp, ==, "3");
  g_assert_cmpstr (order->stex, ==, "KRX");
  g_assert_cmpint (order->price, ==, 0);
  g_assert_cmpint (order->qty, ==, 10);
  g_assert_cmpint (order->remaining_qty, ==, 10);
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_WORKING);
  g_assert_cmpuint (strlen (order->time), ==, 6);

  /* Nothing fills or is announced before the idle; the upper limit is reserved:
   * 10 × 91,000 = 910,000 + commission 130. */
  g_assert_cmpuint (f->log->len, ==, 0);
  g_assert_cmpint (hx_account_get_cash (f->account), ==, START_CASH);
  g_assert_cmpint (hx_account_get_orderable (f->account), ==, START_CASH - 910130);

  drain ();

  /* 10 × 70,100 = 701,000; commission 105.15 floored to 10 KRW = 100. */
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (order->filled_qty, ==, 10);
  g_assert_cmpint (order->remaining_qty, ==, 0);
  g_assert_cmpint (order->filled_amount, ==, 701000);
  g_assert_cmpint (order->commission, ==, 100);
  g_assert_cmpint (order->tax, ==, 0);
  g_assert_cmpint (hx_account_get_cash (f->account), ==, START_CASH - 701100);
  g_assert_cmpint (hx_account_get_orderable (f->account), ==, START_CASH - 701100);

  holding = hx_account_lookup_holding (f->account, "A005930");
  g_assert_nonnull (holding);
  g_assert_true (holding->symbol == f->samsung);
  g_assert_cmpint (holding->qty, ==, 10);
  g_assert_cmpint (holding->sellable_qty, ==, 10);
  g_assert_cmpint (holding->avg_price, ==, 70100);
  g_assert_cmpint (holding->purchase_amount, ==, 701000);
  g_assert_cmpint (holding->purchase_commission, ==, 100);
  g_assert_cmpint (holding->today_buy_qty, ==, 10);
  g_assert_cmpint (holding->today_sell_qty, ==, 0);
  g_assert_cmpint (holding->realized_pnl, ==, 0);

  fills = hx_account_list_fills (f->account);
  g_assert_cmpuint (fills->len, ==, 1);
  fill = g_ptr_array_index (fills, 0);
  g_assert_cmpstr (fill->ord_no, ==, "0000001");
  g_assert_cmpstr (fill->fill_no, ==, "0000001");
  g_assert_true (fill->symbol == f->samsung);
  g_assert_cmpint (fill->side, ==, HX_SIDE_BUY);
  g_assert_cmpint (fill->price, ==, 70100);
  g_assert_cmpint (fill->qty, ==, 10);
  g_assert_cmpint (fill->commission, ==, 100);
  g_assert_cmpint (fill->tax, ==, 0);

  assert_log (f, "접수 0000001", "체결 0000001", "잔고 005930 10", NULL);
}

static void
test_sell_with_tax (Fixture       *f,
                    gconstpointer  data)
{
  const HxOrder *order;
  const HxHolding *last;
  HxBook book;

  place (f, HX_SIDE_BUY, "005930", 10, 0, "3");
  drain ();
  g_assert_cmpint (hx_account_get_cash (f->account), ==, 99298900);

  hx_market_trade (f->market, f->samsung, 72000, -5);
  hx_market_get_book (f->market, f->samsung, &book);
  g_assert_cmpint (book.bid[0], ==, 72000);
  g_assert_cmpint (book.bid_qty[0], >=, 10);

  order = place (f, HX_SIDE_SELL, "005930", 10, 0, "3");
  g_assert_cmpint (hx_account_lookup_holding (f->account, "005930")->sellable_qty, ==, 0);
  drain ();

  /* 720,000: commission 108 → 100, tax 1,296 (0.18 %, floored to 1 KRW). */
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (order->filled_amount, ==, 720000);
  g_assert_cmpint (order->commission, ==, 100);
  g_assert_cmpint (order->tax, ==, 1296);
  g_assert_cmpint (hx_account_get_cash (f->account), ==, 99298900 + 720000 - 100 - 1296);

  /* 720,000 − 701,000 − buy commission 100 − sell commission 100 − tax 1,296. */
  g_assert_cmpint (hx_account_get_realized_pnl (f->account), ==, 17504);
  g_assert_cmpint (hx_account_get_cash (f->account) - hx_account_get_start_cash (f->account),
                   ==, 17504);

  /* The last balance event reports the position closed, then it leaves the list. */
  last = &g_array_index (f->balance_events, HxHolding, f->balance_events->len - 1);
  g_assert_cmpint (last->qty, ==, 0);
  g_assert_cmpint (last->today_buy_qty, ==, 10);
  g_assert_cmpint (last->today_sell_qty, ==, 10);
  g_assert_cmpint (last->realized_pnl, ==, 17504);
  g_assert_null (hx_account_lookup_holding (f->account, "005930"));
  g_assert_cmpuint (steal_len (hx_account_list_holdings (f->account)), ==, 0);
}

static void
test_avg_price (Fixture       *f,
                gconstpointer  data)
{
  const HxHolding *holding;

  /* Marketable limits fill at the book: 3 at 70,100, then 5 at 70,200. */
  place (f, HX_SIDE_BUY, "005930", 3, 70100, "0");
  drain ();
  hx_market_trade (f->market, f->samsung, 70200, 1);
  place (f, HX_SIDE_BUY, "005930", 5, 70200, "0");
  drain ();

  /* 210,300 + 351,000 = 561,300 / 8 = 70,162.5, rounded half up. Commissions 30 + 50. */
  holding = hx_account_lookup_holding (f->account, "005930");
  g_assert_cmpint (holding->qty, ==, 8);
  g_assert_cmpint (holding->purchase_amount, ==, 561300);
  g_assert_cmpint (holding->avg_price, ==, 70163);
  g_assert_cmpint (holding->purchase_commission, ==, 80);
  g_assert_cmpint (holding->today_buy_qty, ==, 8);
  g_assert_cmpint (hx_account_get_cash (f->account), ==, START_CASH - 561300 - 80);

  /* Selling part keeps the average and takes its share of the cost basis. */
  hx_market_trade (f->market, f->samsung, 71000, -1);
  place (f, HX_SIDE_SELL, "005930", 4, 0, "3");
  drain ();
  holding = hx_account_lookup_holding (f->account, "005930");
  g_assert_cmpint (holding->qty, ==, 4);
  g_assert_cmpint (holding->purchase_amount, ==, 280650);
  g_assert_cmpint (holding->avg_price, ==, 70163);
  g_assert_cmpint (holding->purchase_commission, ==, 40);
  /* 284,000 − 280,650 − 40 − commission 40 − tax 511. */
  g_assert_cmpint (holding->realized_pnl, ==, 2759);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  const struct {
    HxSide      side;
    const char *code;
    gint64      qty;
    gint64      price;
    const char *trde_tp;
    const char *stex;
    int         code_expected;
    const char *rc;
    const char *param;
  } cases[] = {
    { HX_SIDE_BUY, "", 1, 70000, "0", "KRX", 1511, NULL, "stk_cd" },
    { HX_SIDE_BUY, NULL, 1, 70000, "0", "KRX", 1511, NULL, "stk_cd" },
    { HX_SIDE_BUY, "005930", 1, 70000, NULL, "KRX", 1511, NULL, "trde_tp" },
    { HX_SIDE_BUY, "005930", 1, 70000, "0", "", 1511, NULL, "dmst_stex_tp" },
    { HX_SIDE_BUY, "005930", 1, 0, "0", "KRX", 1511, NULL, "ord_uv" },
    { HX_SIDE_BUY, "0059$0", 1, 70000, "0", "KRX", 1517, NULL, "stk_cd" },
    { HX_SIDE_BUY, "005930", 1, 70000, "x", "KRX", 1517, NULL, "trde_tp" },
    { HX_SIDE_BUY, "005930", 1, 70000, "123", "KRX", 1517, NULL, "trde_tp" },
    { HX_SIDE_BUY, "005930", 1, -100, "0", "KRX", 1517, NULL, "ord_uv" },
    { HX_SIDE_BUY, "999999", 1, 70000, "0", "KRX", 1902, NULL, "999999" },
    { HX_SIDE_BUY, "005930", 1, 70000, "0", "NXT", HX_ERROR_BUSINESS, "RC9000", NULL },
    { HX_SIDE_BUY, "005930", 1, 70000, "5", "KRX", HX_ERROR_BUSINESS, "RC9000", NULL },
    { HX_SIDE_BUY, "005930", 0, 70000, "0", "KRX", HX_ERROR_BUSINESS, "RC4012", NULL },
    { HX_SIDE_BUY, "005930", -3, 70000, "0", "KRX", HX_ERROR_BUSINESS, "RC4012", NULL },
    { HX_SIDE_BUY, "005930", 1, 70050, "0", "KRX", HX_ERROR_BUSINESS, "RC4010", NULL },
    { HX_SIDE_BUY, "005930", 1, 91100, "0", "KRX", HX_ERROR_BUSINESS, "RC4011", NULL },
    { HX_SIDE_BUY, "005930", 1, 48900, "0", "KRX", HX_ERROR_BUSINESS, "RC4011", NULL },
    /* 1,429 × 70,000 = 100,030,000 */
    { HX_SIDE_BUY, "005930", 1429, 70000, "0", "KRX", HX_ERROR_BUSINESS, "RC4025", NULL },
    /* 1,100 would cost 77 M at the ask, but a market buy reserves 1,100 × 91,000. */
    { HX_SIDE_BUY, "005930", 1100, 0, "3", "KRX", HX_ERROR_BUSINESS, "RC4025", NULL },
    { HX_SIDE_SELL, "005930", 1, 0, "3", "KRX", HX_ERROR_BUSINESS, "RC4032", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      const HxOrder *order;

      g_test_message ("case %u", i);
      order = hx_account_place (f->account, cases[i].side, cases[i].code, cases[i].qty,
                                cases[i].price, cases[i].trde_tp, cases[i].stex, &error);
      g_assert_null (order);
      g_assert_error (error, HX_ERROR, cases[i].code_expected);
      if (cases[i].rc != NULL)
        assert_business_error (error, cases[i].rc);
      if (cases[i].param != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].param));
    }

  {
    g_autoptr(GError) error = NULL;

    hx_account_place (f->account, HX_SIDE_BUY, "999999", 1, 70000, "0", "KRX", &error);
    g_assert_cmpstr (error->message, ==, "종목 정보가 존재하지 않습니다. 종목코드 : 999999");
    g_clear_error (&error);

    hx_account_place (f->account, HX_SIDE_BUY, "005930", 1, 70000, "0", "", &error);
    g_assert_cmpstr (error->message, ==,
                     "필수 입력 값에 값이 존재하지 않습니다. 요청 파라미터 : dmst_stex_tp");
    g_clear_error (&error);

    hx_account_place (f->account, HX_SIDE_BUY, "005930", 1429, 70000, "0", "KRX", &error);
    g_assert_cmpstr (error->message, ==, "RC4025:주문가능금액을 초과하였습니다");
  }

  /* Sellable quantity counts working sells. */
  place (f, HX_SIDE_BUY, "035720", 10, 0, "3");
  drain ();
  place (f, HX_SIDE_SELL, "035720", 6, 60000, "0");
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (hx_account_place (f->account, HX_SIDE_SELL, "035720", 5, 0, "3", "KRX",
                                     &error));
    assert_business_error (error, "RC4032");
  }
  g_assert_cmpint (hx_account_lookup_holding (f->account, "035720")->sellable_qty, ==, 4);
  place (f, HX_SIDE_SELL, "035720", 4, 0, "3");

  /* Modify and cancel: the original must exist, be working and be of that symbol. */
  place (f, HX_SIDE_BUY, "005930", 1000, 70000, "0");
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (hx_account_modify (f->account, NULL, "005930", 0, 70000, &error));
    g_assert_error (error, HX_ERROR, 1511);
    g_assert_nonnull (strstr (error->message, "orig_ord_no"));
    g_clear_error (&error);

    g_assert_null (hx_account_cancel (f->account, "12a", "005930", 0, &error));
    g_assert_error (error, HX_ERROR, 1517);
    g_clear_error (&error);

    g_assert_null (hx_account_cancel (f->account, "0000004", "999999", 0, &error));
    g_assert_error (error, HX_ERROR, 1902);
    g_clear_error (&error);

    g_assert_null (hx_account_modify (f->account, "0009999", "005930", 0, 70000, &error));
    assert_business_error (error, "RC4040");
    g_clear_error (&error);

    /* 0000004 is the resting buy of 005930, not of 035720. */
    g_assert_null (hx_account_cancel (f->account, "0000004", "035720", 0, &error));
    assert_business_error (error, "RC4040");
    g_clear_error (&error);

    /* 0000001 is the filled market buy of 035720. */
    g_assert_null (hx_account_cancel (f->account, "0000001", "035720", 0, &error));
    assert_business_error (error, "RC4040");
    g_clear_error (&error);

    g_assert_null (hx_account_cancel (f->account, "0000004", "005930", 1001, &error));
    assert_business_error (error, "RC4012");
    g_clear_error (&error);

    g_assert_null (hx_account_modify (f->account, "4", "005930", 0, 70050, &error));
    assert_business_error (error, "RC4010");
    g_clear_error (&error);

    g_assert_null (hx_account_modify (f->account, "4", "005930", 0, 91100, &error));
    assert_business_error (error, "RC4011");
    g_clear_error (&error);

    /* Moving 1,000 shares up to 80,000 needs 80,012,000; the order's own 70,010,500
     * reservation counts as available. */
    hx_account_set_cash (f->account, 80000000);
    g_assert_null (hx_account_modify (f->account, "4", "005930", 0, 80000, &error));
    assert_business_error (error, "RC4025");
    g_clear_error (&error);
    hx_account_set_cash (f->account, 80012000);
    g_assert_nonnull (hx_account_modify (f->account, "4", "005930", 0, 80000, &error));
    g_assert_no_error (error);
  }

  /* No rejected request left an order behind. */
  g_assert_cmpuint (steal_len (hx_account_list_orders (f->account)), ==, 5);
}

static void
test_market_closed (void)
{
  g_autoptr(GTimeZone) kst = g_time_zone_new_offset (9 * 3600);
  g_autoptr(GDateTime) sunday = g_date_time_new (kst, 2026, 11, 22, 10, 0, 0);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_KRX, 1.0, sunday);
  g_autoptr(HxMarket) market = new_market (clock);
  g_autoptr(HxAccount) account = hx_account_new (market, clock, START_CASH, COMMISSION_PPM,
                                                 TAX_PPM);
  g_autoptr(GError) error = NULL;

  g_assert_null (hx_account_place (account, HX_SIDE_BUY, "005930", 1, 70000, "0", "KRX",
                                   &error));
  g_assert_error (error, HX_ERROR, HX_ERROR_BUSINESS);
  g_assert_cmpstr (error->message, ==, "RC4058:모의투자 장종료");
  g_clear_error (&error);

  g_assert_null (hx_account_cancel (account, "0000001", "005930", 0, &error));
  assert_business_error (error, "RC4058");
}

static void
test_resting_limit (Fixture       *f,
                    gconstpointer  data)
{
  const HxOrder *buy;
  const HxOrder *sell;

  buy = place (f, HX_SIDE_BUY, "005930", 5, 69000, "0");
  drain ();
  g_assert_cmpint (buy->state, ==, HX_ORDER_STATE_WORKING);
  g_assert_cmpint (buy->remaining_qty, ==, 5);

  /* Above the limit: nothing. At the limit: filled at the limit. */
  hx_market_trade (f->market, f->samsung, 69500, -1);
  g_assert_cmpint (buy->filled_qty, ==, 0);
  hx_market_trade (f->market, f->samsung, 69000, -2);
  g_assert_cmpint (buy->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (buy->filled_amount, ==, 345000);
  drain ();
  assert_log (f, "접수 0000001", "체결 0000001", "잔고 005930 5", NULL);
  g_assert_cmpint (g_array_index (f->order_events, SeenOrderEvent, 1).fill_price, ==, 69000);

  sell = place (f, HX_SIDE_SELL, "005930", 5, 70000, "0");
  drain ();
  g_assert_cmpint (sell->filled_qty, ==, 0);
  g_assert_cmpint (hx_account_lookup_holding (f->account, "005930")->sellable_qty, ==, 0);

  hx_market_trade (f->market, f->samsung, 69900, 1);
  g_assert_cmpint (sell->filled_qty, ==, 0);
  hx_market_trade (f->market, f->samsung, 70000, 1);
  g_assert_cmpint (sell->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (sell->filled_amount, ==, 350000);

  /* 350,000 − 345,000 − 50 − 50 − tax 630 */
  g_assert_cmpint (hx_account_get_realized_pnl (f->account), ==, 4270);
}

static void
test_limit_liquidity (Fixture       *f,
                      gconstpointer  data)
{
  const HxOrder *order;
  HxBook book;
  gint64 first;
  gint64 second;

  hx_account_set_cash (f->account, BIG_CASH);
  order = place (f, HX_SIDE_BUY, "005930", 5000, 69000, "0");
  drain ();
  g_assert_cmpint (order->filled_qty, ==, 0);

  /* A print at the limit fills at the limit, up to its size plus the best ask level. */
  hx_market_trade (f->market, f->samsung, 69000, -2);
  hx_market_get_book (f->market, f->samsung, &book);
  g_assert_cmpint (book.ask[0], ==, 69100);
  first = 2 + book.ask_qty[0];
  g_assert_cmpint (first, <, 5000);
  g_assert_cmpint (order->filled_qty, ==, first);
  g_assert_cmpint (order->filled_amount, ==, first * 69000);
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_PARTIAL);

  /* Once the ask is at or below the limit, the order takes that level at its price. */
  hx_market_trade (f->market, f->samsung, 68900, 1);
  hx_market_get_book (f->market, f->samsung, &book);
  g_assert_cmpint (book.ask[0], ==, 68900);
  second = MIN (book.ask_qty[0], 5000 - first);
  g_assert_cmpint (order->filled_qty, ==, first + second);
  g_assert_cmpint (order->filled_amount, ==, first * 69000 + second * 68900);

  drain ();
  g_assert_cmpuint (f->order_events->len, ==, 3);
  g_assert_cmpint (g_array_index (f->order_events, SeenOrderEvent, 2).fill_price, ==, 68900);
  g_assert_cmpint (g_array_index (f->order_events, SeenOrderEvent, 2).fill_qty, ==, second);
}

static void
test_partial_fills (Fixture       *f,
                    gconstpointer  data)
{
  const HxOrder *order;
  HxBook book;
  gint64 qty;
  gint64 filled;
  gint64 amount;
  gint64 price = 70100;
  guint steps = 1;

  hx_account_set_cash (f->account, BIG_CASH);
  hx_market_get_book (f->market, f->samsung, &book);
  qty = book.ask_qty[0] + 100;

  order = place (f, HX_SIDE_BUY, "005930", qty, 0, "3");
  drain ();
  filled = book.ask_qty[0];
  amount = filled * 70100;
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_PARTIAL);
  g_assert_cmpint (order->filled_qty, ==, filled);
  g_assert_cmpint (order->remaining_qty, ==, 100);
  g_assert_cmpint (order->filled_amount, ==, amount);

  /* Each later print lets the remainder take the new best ask level. */
  while (order->remaining_qty > 0)
    {
      gint64 step;

      g_assert_cmpuint (steps, <, 10);
      price = hoga_krx_add_ticks (price, 1);
      hx_market_trade (f->market, f->samsung, price, 1);
      hx_market_get_book (f->market, f->samsung, &book);
      g_assert_cmpint (book.ask[0], ==, price);
      step = MIN (qty - filled, book.ask_qty[0]);
      filled += step;
      amount += step * price;
      steps++;
      g_assert_cmpint (order->filled_qty, ==, filled);
      g_assert_cmpint (order->filled_amount, ==, amount);
      g_assert_cmpint (order->remaining_qty, ==, qty - filled);
    }
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_FILLED);

  /* Costs were rounded on the running amount: the total is as for one fill. */
  g_assert_cmpint (order->commission, ==, commission (amount));
  g_assert_cmpint (hx_account_get_cash (f->account), ==, BIG_CASH - amount - commission (amount));
  g_assert_cmpint (hx_account_lookup_holding (f->account, "005930")->qty, ==, qty);

  drain ();
  g_assert_cmpuint (f->order_events->len, ==, 1 + steps);
  g_assert_cmpuint (f->balance_events->len, ==, steps);
  g_assert_cmpuint (steal_len (hx_account_list_fills (f->account)), ==, steps);
  for (guint i = 1; i <= steps; i++)
    {
      const SeenOrderEvent *event = &g_array_index (f->order_events, SeenOrderEvent, i);

      g_assert_cmpstr (event->status, ==, "체결");
      g_assert_cmpint (event->fill_price, ==, 70100 + 100 * (i - 1));
    }
  g_assert_cmpint (g_array_index (f->order_events, SeenOrderEvent, steps).remaining, ==, 0);
}

static void
test_modify_chain (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const HxOrder *first;
  const HxOrder *second;
  const HxOrder *third;
  const HxOrder *fourth;

  first = place (f, HX_SIDE_BUY, "005930", 10, 69000, "0");
  drain ();
  assert_log (f, "접수 0000001", NULL);

  second = hx_account_modify (f->account, "0000001", "005930", 0, 69500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (second->ord_no, ==, "0000002");
  g_assert_cmpstr (second->orig_ord_no, ==, "0000001");
  g_assert_cmpstr (second->root_ord_no, ==, "0000001");
  g_assert_cmpint (second->kind, ==, HX_ORDER_MODIFY);
  g_assert_cmpint (second->side, ==, HX_SIDE_BUY);
  g_assert_cmpstr (second->trde_tp, ==, "0");
  g_assert_cmpint (second->qty, ==, 10);
  g_assert_cmpint (second->price, ==, 69500);
  g_assert_cmpint (second->remaining_qty, ==, 10);
  g_assert_cmpint (second->state, ==, HX_ORDER_STATE_WORKING);
  g_assert_cmpint (first->remaining_qty, ==, 0);
  g_assert_cmpint (first->state, ==, HX_ORDER_STATE_CANCELLED);
  drain ();
  assert_log (f, "접수 0000002", "확인 0000002", "확인 0000001", NULL);
  g_assert_cmpint (g_array_index (f->order_events, SeenOrderEvent, 3).remaining, ==, 0);

  /* The moved order can be modified again; the root stays the first order. */
  third = hx_account_modify (f->account, "0000002", "A005930", 10, 69500, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third->orig_ord_no, ==, "0000002");
  g_assert_cmpstr (third->root_ord_no, ==, "0000001");

  /* Moving part: the rest stays at the old price. */
  fourth = hx_account_modify (f->account, "0000003", "005930", 4, 69600, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fourth->ord_no, ==, "0000004");
  g_assert_cmpstr (fourth->root_ord_no, ==, "0000001");
  g_assert_cmpint (fourth->qty, ==, 4);
  g_assert_cmpint (third->remaining_qty, ==, 6);
  g_assert_cmpint (third->state, ==, HX_ORDER_STATE_WORKING);
  drain ();
  assert_log (f, "접수 0000003", "확인 0000003", "확인 0000002",
              "접수 0000004", "확인 0000004", "확인 0000003", NULL);

  /* 6 × 69,500 + 60 and 4 × 69,600 + 40 reserved. */
  g_assert_cmpint (hx_account_get_orderable (f->account), ==, START_CASH - 417060 - 278440);

  /* The moved quantity keeps matching at its new price, the rest at the old one. */
  hx_market_trade (f->market, f->samsung, 69600, -1);
  g_assert_cmpint (fourth->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (fourth->filled_amount, ==, 278400);
  g_assert_cmpint (third->filled_qty, ==, 0);
  g_assert_cmpint (hx_account_get_cash (f->account), ==, START_CASH - 278440);
  g_assert_cmpint (hx_account_get_orderable (f->account), ==, START_CASH - 278440 - 417060);

  /* A finished order can no longer be modified. */
  g_assert_null (hx_account_modify (f->account, "0000004", "005930", 0, 69700, &error));
  assert_business_error (error, "RC4040");
  g_clear_error (&error);
  g_assert_null (hx_account_modify (f->account, "0000001", "005930", 0, 69700, &error));
  assert_business_error (error, "RC4040");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const HxOrder *order;
  const HxOrder *cancel;
  const HxOrder *resting;
  HxBook book;
  gint64 level;

  /* The remainder of a partly filled market order. */
  hx_account_set_cash (f->account, BIG_CASH);
  hx_market_get_book (f->market, f->samsung, &book);
  level = book.ask_qty[0];
  order = place (f, HX_SIDE_BUY, "005930", level + 100, 0, "3");
  drain ();
  g_assert_cmpint (order->remaining_qty, ==, 100);
  g_ptr_array_set_size (f->log, 0);

  cancel = hx_account_cancel (f->account, order->ord_no, "005930", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cancel->ord_no, ==, "0000002");
  g_assert_cmpstr (cancel->orig_ord_no, ==, "0000001");
  g_assert_cmpstr (cancel->root_ord_no, ==, "0000001");
  g_assert_cmpint (cancel->kind, ==, HX_ORDER_CANCEL);
  g_assert_cmpint (cancel->qty, ==, 100);
  g_assert_cmpint (cancel->remaining_qty, ==, 0);
  g_assert_cmpint (cancel->state, ==, HX_ORDER_STATE_CONFIRMED);
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_CANCELLED);
  g_assert_cmpint (order->remaining_qty, ==, 0);
  g_assert_cmpint (order->filled_qty, ==, level);
  g_assert_cmpint (hx_account_get_orderable (f->account), ==, hx_account_get_cash (f->account));
  drain ();
  assert_log (f, "접수 0000002", "확인 0000002", "취소 0000001", NULL);
  g_assert_cmpint (g_array_index (f->order_events, SeenOrderEvent, 4).remaining, ==, 0);

  /* A cancelled remainder never fills. */
  hx_market_trade (f->market, f->samsung, 70200, 1);
  g_assert_cmpint (order->filled_qty, ==, level);

  /* A partial cancel reduces the remainder, which keeps working. */
  resting = place (f, HX_SIDE_BUY, "005930", 10, 69000, "0");
  cancel = hx_account_cancel (f->account, resting->ord_no, "005930", 4, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cancel->qty, ==, 4);
  g_assert_cmpint (resting->remaining_qty, ==, 6);
  g_assert_cmpint (resting->state, ==, HX_ORDER_STATE_WORKING);
  g_assert_null (hx_account_cancel (f->account, resting->ord_no, "005930", 7, &error));
  assert_business_error (error, "RC4012");
  g_clear_error (&error);
  g_assert_null (hx_account_cancel (f->account, cancel->ord_no, "005930", 0, &error));
  assert_business_error (error, "RC4040");
  g_clear_error (&error);
  drain ();
  g_ptr_array_set_size (f->log, 0);

  hx_market_trade (f->market, f->samsung, 69000, -1);
  g_assert_cmpint (resting->filled_qty, ==, 6);
  g_assert_cmpint (resting->state, ==, HX_ORDER_STATE_FILLED);

  /* A cancelled sell gives its quantity back. */
  place (f, HX_SIDE_SELL, "005930", 5, 80000, "0");
  g_assert_cmpint (hx_account_lookup_holding (f->account, "005930")->sellable_qty, ==, level + 1);
  hx_account_cancel (f->account, "0000005", "005930", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hx_account_lookup_holding (f->account, "005930")->sellable_qty, ==, level + 6);
}

static void
test_scripted (Fixture       *f,
               gconstpointer  data)
{
  const HxOrder *order;

  /* FILL: all at once, at the current price but never above the buy limit. */
  hx_account_script_outcome (f->account, HX_OUTCOME_FILL, 0, 1);
  order = place (f, HX_SIDE_BUY, "005930", 10, 69000, "0");
  drain ();
  g_assert_cmpint (order->outcome, ==, HX_OUTCOME_FILL);
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (order->filled_amount, ==, 690000);
  assert_log (f, "접수 0000001", "체결 0000001", "잔고 005930 10", NULL);

  /* The script was for one order: the next one rests as usual. */
  order = place (f, HX_SIDE_BUY, "005930", 10, 69000, "0");
  drain ();
  g_assert_cmpint (order->outcome, ==, HX_OUTCOME_NORMAL);
  g_assert_cmpint (order->filled_qty, ==, 0);
  hx_account_cancel (f->account, order->ord_no, "005930", 0, NULL);
  drain ();
  g_ptr_array_set_size (f->log, 0);

  /* PARTIAL: 3 now at the current price (the base, before any print), then nothing. */
  hx_account_script_outcome (f->account, HX_OUTCOME_PARTIAL, 3, 1);
  order = place (f, HX_SIDE_BUY, "005930", 10, 0, "3");
  drain ();
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_PARTIAL);
  g_assert_cmpint (order->filled_qty, ==, 3);
  g_assert_cmpint (order->filled_amount, ==, 210000);
  hx_market_trade (f->market, f->samsung, 70000, 1);
  hx_market_trade (f->market, f->samsung, 69000, -1);
  g_assert_cmpint (order->filled_qty, ==, 3);
  g_assert_cmpint (order->remaining_qty, ==, 7);

  /* REST: never fills, even when crossed, until cancelled. */
  hx_account_script_outcome (f->account, HX_OUTCOME_REST, 0, 2);
  order = place (f, HX_SIDE_SELL, "005930", 5, 69000, "0");
  drain ();
  hx_market_trade (f->market, f->samsung, 70000, 1);
  g_assert_cmpint (order->outcome, ==, HX_OUTCOME_REST);
  g_assert_cmpint (order->filled_qty, ==, 0);
  g_assert_cmpint (hx_account_lookup_holding (f->account, "005930")->sellable_qty, ==, 8);

  /* Its modified remainder stays out of the market too. */
  order = hx_account_modify (f->account, order->ord_no, "005930", 0, 69900, NULL);
  g_assert_nonnull (order);
  drain ();
  hx_market_trade (f->market, f->samsung, 70000, 1);
  g_assert_cmpint (order->filled_qty, ==, 0);
  g_ptr_array_set_size (f->log, 0);

  /* REJECT_EVENT: accepted, then 거부, and the reservation is released. */
  hx_account_script_outcome (f->account, HX_OUTCOME_REJECT_EVENT, 0, 1);
  order = place (f, HX_SIDE_BUY, "035720", 10, 50000, "0");
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_WORKING);
  drain ();
  g_assert_cmpint (order->state, ==, HX_ORDER_STATE_REJECTED);
  g_assert_cmpint (order->remaining_qty, ==, 0);
  g_assert_cmpint (order->filled_qty, ==, 0);
  g_assert_cmpstr (order->reject_reason, !=, "");
  assert_log (f, "접수 0000007", "거부 0000007", NULL);

  /* Only the PARTIAL market buy's 7 shares stay reserved, at the upper limit: 637,000 +
   * commission on its running amount (847,000 → 120) − the 30 already paid. */
  g_assert_cmpint (hx_account_get_orderable (f->account), ==,
                   hx_account_get_cash (f->account) - 637090);
}

static void
test_event_sequence (Fixture       *f,
                     gconstpointer  data)
{
  const SeenOrderEvent *event;

  place (f, HX_SIDE_BUY, "005930", 10, 69000, "0");
  place (f, HX_SIDE_BUY, "005930", 5, 0, "3");
  g_assert_cmpuint (f->log->len, ==, 0);
  drain ();
  assert_log (f, "접수 0000001", "접수 0000002", "체결 0000002", "잔고 005930 5", NULL);

  event = &g_array_index (f->order_events, SeenOrderEvent, 1);
  g_assert_cmpint (event->state, ==, HX_ORDER_STATE_WORKING);
  g_assert_cmpint (event->remaining, ==, 5);
  g_assert_cmpint (event->filled, ==, 0);
  g_assert_cmpstr (event->fill_no, ==, "");
  g_assert_cmpint (event->fill_qty, ==, 0);

  /* A 체결 carries the order as updated by that fill. */
  event = &g_array_index (f->order_events, SeenOrderEvent, 2);
  g_assert_cmpint (event->state, ==, HX_ORDER_STATE_FILLED);
  g_assert_cmpint (event->remaining, ==, 0);
  g_assert_cmpint (event->filled, ==, 5);
  g_assert_cmpint (event->filled_amount, ==, 350500);
  g_assert_cmpstr (event->fill_no, ==, "0000001");
  g_assert_cmpint (event->fill_price, ==, 70100);
  g_assert_cmpint (event->fill_qty, ==, 5);

  /* Cancelled, the resting buy is gone before the print that would have filled it. */
  hx_account_cancel (f->account, "0000001", "005930", 0, NULL);
  hx_market_trade (f->market, f->samsung, 69000, -1);
  drain ();
  assert_log (f, "접수 0000003", "확인 0000003", "취소 0000001", NULL);

  /* Two sells accepted together: both 접수 first, then the marketable one (bid 69,000)
   * fills in the idle, the other on a later print. */
  place (f, HX_SIDE_SELL, "005930", 2, 69000, "0");
  place (f, HX_SIDE_SELL, "005930", 3, 70000, "0");
  drain ();
  hx_market_trade (f->market, f->samsung, 70000, 1);
  drain ();
  assert_log (f, "접수 0000004", "접수 0000005", "체결 0000004", "잔고 005930 3",
              "체결 0000005", "잔고 005930 0", NULL);
}

static void
test_queries (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) fills = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) holdings = NULL;
  const HxFill *fill;

  place (f, HX_SIDE_BUY, "035720", 2, 0, "3");
  place (f, HX_SIDE_BUY, "005930", 1, 0, "3");
  drain ();
  hx_market_trade (f->market, f->kakao, 50500, 1);
  place (f, HX_SIDE_BUY, "035720", 3, 0, "3");
  drain ();

  fills = hx_account_list_fills (f->account);
  g_assert_cmpuint (fills->len, ==, 3);
  fill = g_ptr_array_index (fills, 0);
  g_assert_cmpstr (fill->fill_no, ==, "0000003");
  g_assert_cmpstr (fill->ord_no, ==, "0000003");
  g_assert_cmpint (fill->price, ==, 50500);
  g_assert_cmpint (fill->qty, ==, 3);
  fill = g_ptr_array_index (fills, 1);
  g_assert_cmpstr (fill->fill_no, ==, "0000002");
  g_assert_true (fill->symbol == f->samsung);
  fill = g_ptr_array_index (fills, 2);
  g_assert_cmpstr (fill->fill_no, ==, "0000001");
  g_assert_cmpint (fill->price, ==, 50100);

  orders = hx_account_list_orders (f->account);
  g_assert_cmpuint (orders->len, ==, 3);
  for (guint i = 0; i < orders->len; i++)
    {
      g_autofree char *ord_no = g_strdup_printf ("%07u", i + 1);
      const HxOrder *order = g_ptr_array_index (orders, i);

      g_assert_cmpstr (order->ord_no, ==, ord_no);
      g_assert_true (hx_account_lookup_order (f->account, ord_no) == order);
    }
  g_assert_true (hx_account_lookup_order (f->account, "2") == g_ptr_array_index (orders, 1));
  g_assert_null (hx_account_lookup_order (f->account, "0000004"));
  g_assert_null (hx_account_lookup_order (f->account, "0000000"));

  holdings = hx_account_list_holdings (f->account);
  g_assert_cmpuint (holdings->len, ==, 2);
  g_assert_cmpstr (((HxHolding *) g_ptr_array_index (holdings, 0))->symbol->code, ==, "005930");
  g_assert_cmpstr (((HxHolding *) g_ptr_array_index (holdings, 1))->symbol->code, ==, "035720");
  g_assert_cmpint (((HxHolding *) g_ptr_array_index (holdings, 1))->qty, ==, 5);
  /* (100,200 + 151,500) / 5 = 50,340 */
  g_assert_cmpint (((HxHolding *) g_ptr_array_index (holdings, 1))->avg_price, ==, 50340);

  /* set_cash is a deposit: the start of the day moves with it. */
  hx_account_set_cash (f->account, hx_account_get_cash (f->account) + 1000);
  g_assert_cmpint (hx_account_get_start_cash (f->account), ==, START_CASH + 1000);
  g_assert_cmpint (hx_account_compute_commission (f->account, 701000), ==, 100);
  g_assert_cmpint (hx_account_compute_tax (f->account, 720000), ==, 1296);
}

/* Checks everything that must hold whatever happened: cash and holdings agree with the
 * fills, reservations and sellable quantities with the working orders. */
static void
assert_consistent (Fixture *f)
{
  g_autoptr(GPtrArray) orders = hx_account_list_orders (f->account);
  g_autoptr(GPtrArray) fills = hx_account_list_fills (f->account);
  g_autoptr(GPtrArray) holdings = hx_account_list_holdings (f->account);
  HxSymbol *symbols[] = { f->samsung, f->kakao };
  gint64 cash = hx_account_get_start_cash (f->account);
  gint64 held_cost = 0;

  for (guint i = 0; i < fills->len; i++)
    {
      const HxFill *fill = g_ptr_array_index (fills, i);
      gint64 amount = fill->price * fill->qty;

      g_assert_true (hoga_krx_is_on_grid (fill->price));
      if (fill->side == HX_SIDE_BUY)
        cash -= amount + fill->commission;
      else
        cash += amount - fill->commission - fill->tax;
    }
  g_assert_cmpint (hx_account_get_cash (f->account), ==, cash);
  g_assert_cmpint (cash, >=, 0);
  g_assert_cmpint (hx_account_get_orderable (f->account), >=, 0);

  for (guint i = 0; i < orders->len; i++)
    {
      const HxOrder *order = g_ptr_array_index (orders, i);
      gint64 filled = 0;
      gint64 amount = 0;

      for (guint j = 0; j < fills->len; j++)
        {
          const HxFill *fill = g_ptr_array_index (fills, j);

          if (strcmp (fill->ord_no, order->ord_no) == 0)
            {
              filled += fill->qty;
              amount += fill->price * fill->qty;
            }
        }
      g_assert_cmpint (order->filled_qty, ==, filled);
      g_assert_cmpint (order->filled_amount, ==, amount);
      g_assert_cmpint (order->filled_qty + order->remaining_qty, <=, order->qty);
      g_assert_cmpint (order->remaining_qty, >=, 0);
      if (order->state != HX_ORDER_STATE_WORKING && order->state != HX_ORDER_STATE_PARTIAL)
        g_assert_cmpint (order->remaining_qty, ==, 0);
      else
        g_assert_cmpint (order->remaining_qty, >, 0);
    }

  for (guint k = 0; k < G_N_ELEMENTS (symbols); k++)
    {
      const HxHolding *holding = hx_account_lookup_holding (f->account, symbols[k]->code);
      gint64 qty = 0;
      gint64 selling = 0;

      for (guint j = 0; j < fills->len; j++)
        {
          const HxFill *fill = g_ptr_array_index (fills, j);

          if (fill->symbol == symbols[k])
            qty += fill->side == HX_SIDE_BUY ? fill->qty : -fill->qty;
        }
      for (guint i = 0; i < orders->len; i++)
        {
          const HxOrder *order = g_ptr_array_index (orders, i);

          if (order->symbol == symbols[k] && order->side == HX_SIDE_SELL &&
              (order->state == HX_ORDER_STATE_WORKING || order->state == HX_ORDER_STATE_PARTIAL))
            selling += order->remaining_qty;
        }

      g_assert_cmpint (qty, >=, 0);
      if (qty == 0)
        {
          g_assert_null (holding);
          g_assert_cmpint (selling, ==, 0);
          continue;
        }
      g_assert_nonnull (holding);
      g_assert_cmpint (holding->qty, ==, qty);
      g_assert_cmpint (holding->sellable_qty, ==, qty - selling);
      g_assert_cmpint (holding->avg_price, ==,
                       (2 * holding->purchase_amount + qty) / (2 * qty));
      held_cost += holding->purchase_amount + holding->purchase_commission;
    }
  g_assert_cmpuint (holdings->len, ==, (hx_account_lookup_holding (f->account, "005930") != NULL) +
                                       (hx_account_lookup_holding (f->account, "035720") != NULL));

  /* What was realized is the cash that came back beyond the cost of what is still held. */
  g_assert_cmpint (hx_account_get_realized_pnl (f->account), ==,
                   hx_account_get_cash (f->account) - hx_account_get_start_cash (f->account)
                   + held_cost);
}

static const HxOrder *
pick_working (Fixture *f,
              GRand   *rand)
{
  g_autoptr(GPtrArray) orders = hx_account_list_orders (f->account);
  g_autoptr(GPtrArray) working = g_ptr_array_new ();

  for (guint i = 0; i < orders->len; i++)
    {
      const HxOrder *order = g_ptr_array_index (orders, i);

      if (order->state == HX_ORDER_STATE_WORKING || order->state == HX_ORDER_STATE_PARTIAL)
        g_ptr_array_add (working, (gpointer) order);
    }

  if (working->len == 0)
    return NULL;

  return g_ptr_array_index (working, g_rand_int_range (rand, 0, working->len));
}

static void
test_random_session (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  HxSymbol *symbols[] = { f->samsung, f->kakao };
  guint n_fills_seen = 0;

  hx_account_set_cash (f->account, 20000000);

  for (guint step = 0; step < 2000; step++)
    {
      g_autoptr(GError) error = NULL;
      HxSymbol *symbol = symbols[g_rand_int_range (rand, 0, 2)];
      const HxHolding *holding = hx_account_lookup_holding (f->account, symbol->code);
      gint64 price = hoga_krx_clamp_to_limits (
        hoga_krx_add_ticks (hx_symbol_current_price (symbol), g_rand_int_range (rand, -3, 4)),
        symbol->base_price);
      gboolean market = g_rand_boolean (rand);
      const HxOrder *working;
      int action = g_rand_int_range (rand, 0, 100);

      if (action < 30)
        {
          hx_account_place (f->account, HX_SIDE_BUY, symbol->code, g_rand_int_range (rand, 1, 80),
                            market ? 0 : price, market ? "3" : "0", "KRX", &error);
        }
      else if (action < 50 && holding != NULL && holding->sellable_qty > 0)
        {
          hx_account_place (f->account, HX_SIDE_SELL, symbol->code,
                            g_rand_int_range (rand, 1, holding->sellable_qty + 1),
                            market ? 0 : price, market ? "3" : "0", "KRX", &error);
          g_assert_no_error (error);
        }
      else if (action < 60 && (working = pick_working (f, rand)) != NULL)
        {
          gint64 new_price = hoga_krx_clamp_to_limits (
            hoga_krx_add_ticks (hx_symbol_current_price (working->symbol),
                                g_rand_int_range (rand, -3, 4)),
            working->symbol->base_price);

          hx_account_modify (f->account, working->ord_no, working->symbol->code,
                             g_rand_int_range (rand, 0, working->remaining_qty + 1), new_price,
                             &error);
        }
      else if (action < 70 && (working = pick_working (f, rand)) != NULL)
        {
          hx_account_cancel (f->account, working->ord_no, working->symbol->code,
                             g_rand_int_range (rand, 0, working->remaining_qty + 1), &error);
          g_assert_no_error (error);
        }
      else if (action < 72)
        {
          hx_account_script_outcome (f->account, g_rand_int_range (rand, 0, 5),
                                     g_rand_int_range (rand, 0, 40), 1);
        }
      else
        {
          hx_market_walk (f->market, g_rand_int_range (rand, 1, 6));
        }

      /* Only a business rule may refuse a well-formed request. */
      if (error != NULL)
        g_assert_error (error, HX_ERROR, HX_ERROR_BUSINESS);

      if (g_rand_int_range (rand, 0, 4) == 0)
        drain ();
      if (step % 10 == 0)
        assert_consistent (f);
    }

  drain ();
  assert_consistent (f);

  /* Every fill was announced once, each followed by its balance event. */
  for (guint i = 0; i < f->order_events->len; i++)
    if (strcmp (g_array_index (f->order_events, SeenOrderEvent, i).status, "체결") == 0)
      n_fills_seen++;
  g_assert_cmpuint (n_fills_seen, ==, steal_len (hx_account_list_fills (f->account)));
  g_assert_cmpuint (f->balance_events->len, ==, n_fills_seen);
  g_test_message ("%u orders, %u fills", steal_len (hx_account_list_orders (f->account)),
                  n_fills_seen);
  g_assert_cmpuint (n_fills_seen, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/hx/account/market-buy", test_market_buy);
  ADD ("/hx/account/sell-with-tax", test_sell_with_tax);
  ADD ("/hx/account/avg-price", test_avg_price);
  ADD ("/hx/account/validation", test_validation);
  g_test_add_func ("/hx/account/market-closed", test_market_closed);
  ADD ("/hx/account/resting-limit", test_resting_limit);
  ADD ("/hx/account/limit-liquidity", test_limit_liquidity);
  ADD ("/hx/account/partial-fills", test_partial_fills);
  ADD ("/hx/account/modify-chain", test_modify_chain);
  ADD ("/hx/account/cancel", test_cancel);
  ADD ("/hx/account/scripted", test_scripted);
  ADD ("/hx/account/event-sequence", test_event_sequence);
  ADD ("/hx/account/queries", test_queries);
  ADD ("/hx/account/random-session", test_random_session);

#undef ADD

  return g_test_run ();
}
