/* test-hx-market.c — hoga-exchange's session clock, market model and condition searches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include "hx-conditions.h"
#include "hx-resources.h"

#define RESOURCE_BASE "/io/github/hoga/Exchange/"

/* Two symbols on the 10-won band so scripted prices are easy to read. */
static const char small_tsv[] =
  "# code\tname\tbase\tmarket\tvolume\n"
  "005930\t삼성전자\t10000\tKOSPI\t1000000\n"
  "000660\tSK하이닉스\t10000\tKOSPI\t500000\n";

static GDateTime *
kst (int    year,
     int    month,
     int    day,
     int    hour,
     int    minute,
     double seconds)
{
  return g_date_time_new (hoga_krx_time_zone (), year, month, day, hour, minute, seconds);
}

static GBytes *
resource (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_BASE, name, NULL);
  g_autoptr(GError) error = NULL;
  /* Through hx_get_resource(): it is what pulls the resource out of the static library. */
  GBytes *bytes = g_resource_lookup_data (hx_get_resource (), path,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return bytes;
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new_static (text, strlen (text));
}

static HxMarket *
market_with (HxClock    *clock,
             guint64     seed,
             const char *tsv)
{
  g_autoptr(HxMarket) market = hx_market_new (clock, seed);
  g_autoptr(GBytes) bytes = tsv != NULL ? text_bytes (tsv) : resource ("symbols.tsv");
  g_autoptr(GError) error = NULL;

  g_assert_true (hx_market_load_symbols (market, bytes, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&market);
}

static void
run_loop_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
    }
}

/* ---- clock ---- */

static void
test_clock_always_open (void)
{
  g_autoptr(GDateTime) sunday = kst (2024, 3, 3, 23, 0, 0);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, sunday);

  g_assert_cmpint (hx_clock_get_mode (clock), ==, HX_CLOCK_ALWAYS_OPEN);
  g_assert_cmpint (hx_clock_get_phase (clock), ==, HOGA_KRX_PHASE_CONTINUOUS);
  g_assert_true (hx_clock_accepts_orders (clock));
  g_assert_true (hx_clock_is_trading (clock));
}

static void
test_clock_speed (void)
{
  gint64 before = g_get_monotonic_time ();
  g_autoptr(GDateTime) start = kst (2024, 3, 4, 10, 0, 0);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_KRX, 3600.0, start);
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan simulated;
  GTimeSpan real;

  g_usleep (20000);
  now = hx_clock_now (clock);
  real = g_get_monotonic_time () - before;
  simulated = g_date_time_difference (now, start);

  g_assert_cmpfloat (hx_clock_get_speed (clock), ==, 3600.0);
  g_assert_cmpint (simulated, >=, 20000 * 3600);
  g_assert_cmpint (simulated, <=, real * 3600);
  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 9 * G_TIME_SPAN_HOUR);

  /* The allocation-free reading agrees with the GDateTime one. */
  g_assert_cmpint (hx_clock_now_usec (clock) - g_date_time_to_unix (start) * G_USEC_PER_SEC,
                   >=, simulated);
}

static void
test_clock_format (void)
{
  g_autoptr(GDateTime) start = kst (2024, 3, 4, 9, 5, 7);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_KRX, 1.0, start);
  char hhmmss[7];
  char yyyymmdd[9];

  hx_clock_format_time (clock, hhmmss);
  hx_clock_format_date (clock, yyyymmdd);
  g_assert_cmpstr (hhmmss, ==, "090507");
  g_assert_cmpstr (yyyymmdd, ==, "20240304");
}

static void
test_clock_krx_phases (void)
{
  static const struct {
    int          day, hour, minute;
    HogaKrxPhase phase;
    gboolean     accepts;
    gboolean     trading;
  } cases[] = {
    { 4,  8, 45, HOGA_KRX_PHASE_PRE_MARKET,         FALSE, FALSE },
    { 4, 10,  0, HOGA_KRX_PHASE_CONTINUOUS,         TRUE,  TRUE },
    { 4, 15, 25, HOGA_KRX_PHASE_CLOSING_AUCTION,    TRUE,  FALSE },
    { 4, 15, 35, HOGA_KRX_PHASE_POST_CLOSE,         FALSE, FALSE },
    { 4, 16, 30, HOGA_KRX_PHASE_AFTER_HOURS_SINGLE, FALSE, FALSE },
    { 4, 20,  0, HOGA_KRX_PHASE_CLOSED,             FALSE, FALSE },
    { 9, 10,  0, HOGA_KRX_PHASE_CLOSED,             FALSE, FALSE },  /* Saturday */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) start = kst (2024, 3, cases[i].day, cases[i].hour, cases[i].minute, 0);
      g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_KRX, 1.0, start);

      g_assert_cmpint (hx_clock_get_phase (clock), ==, cases[i].phase);
      g_assert_cmpint (hx_clock_accepts_orders (clock), ==, cases[i].accepts);
      g_assert_cmpint (hx_clock_is_trading (clock), ==, cases[i].trading);
    }
}

static void
phase_changed_cb (HxClock *clock,
                  guint    phase,
                  gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, phase);
}

static void
test_clock_phase_changed (void)
{
  /* 1 s before the open at 10× is 100 ms of real time: room for a loaded machine or
   * valgrind to reach the first check still before the open. */
  g_autoptr(GDateTime) start = kst (2024, 3, 4, 8, 59, 59.0);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_KRX, 10.0, start);
  g_autoptr(GArray) phases = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  g_signal_connect (clock, "phase-changed", G_CALLBACK (phase_changed_cb), phases);
  g_assert_cmpint (hx_clock_get_phase (clock), ==, HOGA_KRX_PHASE_PRE_MARKET);

  while (phases->len == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (phases->len, ==, 1);
  g_assert_cmpuint (g_array_index (phases, guint, 0), ==, HOGA_KRX_PHASE_CONTINUOUS);
}

/* ---- market ---- */

typedef struct {
  GPtrArray *trades;      /* HxTrade copies */
} Recorder;

static void
record_trade_cb (HxMarket *market,
                 gpointer  data,
                 gpointer  user_data)
{
  Recorder *recorder = user_data;

  g_ptr_array_add (recorder->trades, g_memdup2 (data, sizeof (HxTrade)));
}

static void
recorder_init (Recorder *recorder,
               HxMarket *market)
{
  recorder->trades = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (market, "trade", G_CALLBACK (record_trade_cb), recorder);
}

static void
test_market_load (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  HxSymbol *samsung;
  guint n_kosdaq = 0;

  g_assert_cmpuint (hx_market_get_n_symbols (market), >=, 100);

  samsung = hx_market_lookup (market, "005930");
  g_assert_nonnull (samsung);
  g_assert_cmpstr (samsung->name, ==, "삼성전자");
  g_assert_cmpstr (samsung->market_name, ==, "KOSPI");
  g_assert_cmpint (samsung->last, ==, 0);
  g_assert_cmpint (hx_symbol_current_price (samsung), ==, samsung->base_price);
  g_assert_cmpstr (hx_market_lookup (market, "247540")->name, ==, "에코프로비엠");

  for (guint i = 0; i < hx_market_get_n_symbols (market); i++)
    {
      HxSymbol *symbol = hx_market_get_symbol (market, i);

      g_assert_cmpuint (symbol->index, ==, i);
      g_assert_cmpuint (strlen (symbol->code), ==, HX_CODE_LEN);
      g_assert_true (hoga_krx_is_on_grid (symbol->base_price));
      g_assert_cmpint (symbol->upper_limit, ==, hoga_krx_upper_limit (symbol->base_price));
      g_assert_cmpint (symbol->lower_limit, ==, hoga_krx_lower_limit (symbol->base_price));
      g_assert_cmpint (symbol->prev_volume, >, 0);
      g_assert_true (hx_market_lookup (market, symbol->code) == symbol);
      if (g_strcmp0 (symbol->market_name, "KOSDAQ") == 0)
        n_kosdaq++;
    }
  g_assert_cmpuint (n_kosdaq, >=, 20);
}

static void
test_market_load_errors (void)
{
  static const struct {
    const char *tsv;
    const char *message_part;
  } cases[] = {
    { "005930\t삼성전자\t71000\tKOSPI\n", "line 1" },
    { "# comment\n005930\t삼성전자\t71050\tKOSPI\t100\n", "line 2: base price" },
    { "005930\t삼성전자\t71000\tKONEX\t100\n", "KOSPI or KOSDAQ" },
    { "05930\t삼성전자\t71000\tKOSPI\t100\n", "code" },
    { "005930\t\t71000\tKOSPI\t100\n", "name" },
    { "005930\t삼성전자\t71000\tKOSPI\t-5\n", "volume" },
    { "005930\t삼성전자\t71000\tKOSPI\t100\n\n005930\t삼성전자\t71000\tKOSPI\t100\n", "line 3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
      g_autoptr(HxMarket) market = hx_market_new (clock, 1);
      g_autoptr(GBytes) bytes = text_bytes (cases[i].tsv);
      g_autoptr(GError) error = NULL;

      g_assert_false (hx_market_load_symbols (market, bytes, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      /* A bad file leaves nothing half-loaded. */
      g_assert_cmpuint (hx_market_get_n_symbols (market), ==, 0);
    }
}

static void
test_market_generated (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_real = hx_market_get_n_symbols (market);
  HxSymbol *first;

  hx_market_add_generated (market, 3000);
  g_assert_cmpuint (hx_market_get_n_symbols (market), ==, 3000);

  first = hx_market_get_symbol (market, n_real);
  g_assert_cmpstr (first->code, ==, "900010");
  g_assert_cmpstr (first->name, ==, "시뮬종목 0001");

  for (guint i = 0; i < 3000; i++)
    {
      HxSymbol *symbol = hx_market_get_symbol (market, i);

      g_assert_true (g_hash_table_add (codes, symbol->code));
      g_assert_true (hoga_krx_is_on_grid (symbol->base_price));
      g_assert_cmpint (symbol->base_price, >=, 1000);
      g_assert_true (hx_market_lookup (market, symbol->code) == symbol);
    }

  /* Asking for fewer than there are adds nothing. */
  hx_market_add_generated (market, 10);
  g_assert_cmpuint (hx_market_get_n_symbols (market), ==, 3000);
}

static void
test_market_lookup (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, small_tsv);
  HxSymbol *samsung = hx_market_lookup (market, "005930");
  const char *same[] = { "A005930", "005930_NX", "005930_AL", "A005930_AL" };
  const char *none[] = { "00593", "0059300", "X005930", "005930_XX", "005930_N", "", "999999" };

  g_assert_nonnull (samsung);
  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    g_assert_true (hx_market_lookup (market, same[i]) == samsung);
  for (guint i = 0; i < G_N_ELEMENTS (none); i++)
    g_assert_null (hx_market_lookup (market, none[i]));
  g_assert_null (hx_market_lookup (market, NULL));
}

static void
test_market_trade_snaps (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, small_tsv);
  HxSymbol *symbol = hx_market_lookup (market, "005930");
  Recorder recorder;
  const HxTrade *trade;

  recorder_init (&recorder, market);

  hx_market_trade (market, symbol, 10004, 7);
  trade = g_ptr_array_index (recorder.trades, 0);
  g_assert_true (trade->symbol == symbol);
  g_assert_cmpint (trade->price, ==, 10000);
  g_assert_cmpint (trade->qty, ==, 7);
  g_assert_cmpuint (strlen (trade->hhmmss), ==, 6);
  g_assert_cmpint (symbol->open, ==, 10000);
  g_assert_cmpint (symbol->best_ask, ==, 10000);
  g_assert_cmpint (symbol->best_bid, ==, 9990);

  hx_market_trade (market, symbol, 10006, -3);
  g_assert_cmpint (symbol->last, ==, 10010);
  g_assert_cmpint (symbol->best_bid, ==, 10010);
  g_assert_cmpint (symbol->best_ask, ==, 10020);

  hx_market_trade (market, symbol, 99999, 1);
  g_assert_cmpint (symbol->last, ==, 13000);
  g_assert_cmpint (symbol->last, ==, symbol->upper_limit);

  hx_market_trade (market, symbol, -5, -2);
  g_assert_cmpint (symbol->last, ==, 7000);
  g_assert_cmpint (symbol->last, ==, symbol->lower_limit);

  g_assert_cmpint (symbol->open, ==, 10000);
  g_assert_cmpint (symbol->high, ==, 13000);
  g_assert_cmpint (symbol->low, ==, 7000);
  g_assert_cmpint (symbol->cum_volume, ==, 7 + 3 + 1 + 2);
  g_assert_cmpint (symbol->cum_value, ==, 10000 * 7 + 10010 * 3 + 13000 + 7000 * 2);
  g_assert_cmpuint (symbol->n_trades, ==, 4);
  g_assert_cmpuint (symbol->recent_len, ==, 4);
  g_assert_cmpint (symbol->recent_qty[3], ==, 2);
  g_assert_cmpint (symbol->recent_price[3], ==, 7000);
  g_assert_cmpint (hx_symbol_current_price (symbol), ==, 7000);

  g_ptr_array_unref (recorder.trades);
}

static void
test_market_walk_on_grid (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 3, NULL);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) previous = g_hash_table_new (NULL, NULL);
  Recorder recorder;
  guint max_count = 0;
  guint small_moves = 0;
  guint moves = 0;
  guint buys = 0;

  hx_market_add_generated (market, 400);
  recorder_init (&recorder, market);
  hx_market_walk (market, 100000);
  g_assert_cmpuint (recorder.trades->len, ==, 100000);

  for (guint i = 0; i < recorder.trades->len; i++)
    {
      const HxTrade *trade = g_ptr_array_index (recorder.trades, i);
      const HxSymbol *symbol = trade->symbol;
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, symbol)) + 1;
      gint64 before = GPOINTER_TO_SIZE (g_hash_table_lookup (previous, symbol));

      g_assert_true (hoga_krx_is_on_grid (trade->price));
      g_assert_cmpint (trade->price, >=, symbol->lower_limit);
      g_assert_cmpint (trade->price, <=, symbol->upper_limit);
      g_assert_cmpint (trade->qty, !=, 0);
      buys += trade->qty > 0;

      if (before == 0)
        {
          /* The first print of the day opens within 2 % (and a rounding tick) of base. */
          gint64 slack = symbol->base_price / 50 + hoga_krx_tick_size (symbol->base_price);

          g_assert_cmpint (ABS (trade->price - symbol->base_price), <=, slack);
        }
      else
        {
          gint64 lo = MIN (before, trade->price);
          gint64 hi = MAX (before, trade->price);

          moves++;
          if (hi <= hoga_krx_add_ticks (lo, 3))
            small_moves++;
        }

      g_hash_table_insert (counts, (gpointer) symbol, GUINT_TO_POINTER (count));
      g_hash_table_insert (previous, (gpointer) symbol, GSIZE_TO_POINTER ((gsize) trade->price));
      max_count = MAX (max_count, count);
    }

  /* A quote move of at most two ticks plus the bid/ask bounce. */
  g_assert_cmpuint (small_moves, ==, moves);
  /* Both sides trade. */
  g_assert_cmpuint (buys, >, recorder.trades->len / 4);
  g_assert_cmpuint (buys, <, recorder.trades->len * 3 / 4);
  /* Some symbols are far busier than the average of 100000 / 504. */
  g_assert_cmpuint (max_count, >, 5 * 100000 / hx_market_get_n_symbols (market));

  for (guint i = 0; i < hx_market_get_n_symbols (market); i++)
    {
      HxSymbol *symbol = hx_market_get_symbol (market, i);

      if (symbol->last == 0)
        continue;
      g_assert_cmpint (symbol->low, <=, symbol->last);
      g_assert_cmpint (symbol->last, <=, symbol->high);
      g_assert_cmpint (symbol->high, <=, symbol->upper_limit);
      g_assert_cmpint (symbol->low, >=, symbol->lower_limit);
      g_assert_true (symbol->best_ask == 0 || hoga_krx_is_on_grid (symbol->best_ask));
      g_assert_true (symbol->best_bid == 0 || hoga_krx_is_on_grid (symbol->best_bid));
    }

  g_ptr_array_unref (recorder.trades);
}

static guint64
walk_checksum (guint64 seed)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, seed, NULL);
  Recorder recorder;
  HxBook book;
  guint64 sum = 0;

  hx_market_add_generated (market, 500);
  recorder_init (&recorder, market);
  hx_market_walk (market, 20000);

  for (guint i = 0; i < recorder.trades->len; i++)
    {
      const HxTrade *trade = g_ptr_array_index (recorder.trades, i);

      sum = sum * 1000003 + trade->symbol->index;
      sum = sum * 1000003 + (guint64) trade->price;
      sum = sum * 1000003 + (guint64) trade->qty;
    }
  for (guint i = 0; i < hx_market_get_n_symbols (market); i++)
    {
      hx_market_get_book (market, hx_market_get_symbol (market, i), &book);
      sum = sum * 1000003 + (guint64) book.total_ask_qty;
      sum = sum * 1000003 + (guint64) book.bid[HX_BOOK_LEVELS - 1];
    }

  g_ptr_array_unref (recorder.trades);
  return sum;
}

static void
test_market_deterministic (void)
{
  g_assert_cmpuint (walk_checksum (7), ==, walk_checksum (7));
  g_assert_cmpuint (walk_checksum (7), !=, walk_checksum (8));
}

static void
assert_book_sane (const HxSymbol *symbol,
                  const HxBook   *book)
{
  gint64 total_ask = 0;
  gint64 total_bid = 0;

  for (guint i = 0; i < HX_BOOK_LEVELS; i++)
    {
      if (book->ask[i] == 0)
        g_assert_cmpint (book->ask_qty[i], ==, 0);
      else
        {
          g_assert_true (hoga_krx_is_on_grid (book->ask[i]));
          g_assert_cmpint (book->ask[i], <=, symbol->upper_limit);
          g_assert_cmpint (book->ask_qty[i], >, 0);
          if (i > 0)
            g_assert_cmpint (book->ask[i], ==, hoga_krx_add_ticks (book->ask[i - 1], 1));
        }
      if (book->bid[i] == 0)
        g_assert_cmpint (book->bid_qty[i], ==, 0);
      else
        {
          g_assert_true (hoga_krx_is_on_grid (book->bid[i]));
          g_assert_cmpint (book->bid[i], >=, symbol->lower_limit);
          g_assert_cmpint (book->bid_qty[i], >, 0);
          if (i > 0)
            g_assert_cmpint (book->bid[i], ==, hoga_krx_add_ticks (book->bid[i - 1], -1));
        }
      /* Once a side stops at a limit it stays empty. */
      if (i > 0 && book->ask[i - 1] == 0)
        g_assert_cmpint (book->ask[i], ==, 0);
      if (i > 0 && book->bid[i - 1] == 0)
        g_assert_cmpint (book->bid[i], ==, 0);
      total_ask += book->ask_qty[i];
      total_bid += book->bid_qty[i];
    }
  g_assert_cmpint (book->total_ask_qty, ==, total_ask);
  g_assert_cmpint (book->total_bid_qty, ==, total_bid);
  if (book->ask[0] != 0 && book->bid[0] != 0)
    g_assert_cmpint (book->ask[0], ==, hoga_krx_add_ticks (book->bid[0], 1));
}

static void
test_market_book (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  HxSymbol *samsung = hx_market_lookup (market, "005930");
  HxBook book;
  HxBook again;

  /* Before the first trade the book sits around the base price. */
  hx_market_get_book (market, samsung, &book);
  assert_book_sane (samsung, &book);
  g_assert_cmpint (book.bid[0], ==, samsung->base_price);

  hx_market_walk (market, 20000);
  for (guint i = 0; i < hx_market_get_n_symbols (market); i++)
    {
      HxSymbol *symbol = hx_market_get_symbol (market, i);

      hx_market_get_book (market, symbol, &book);
      assert_book_sane (symbol, &book);
      hx_market_get_book (market, symbol, &again);
      g_assert_cmpmem (&book, sizeof book, &again, sizeof again);
    }

  /* Asks crossing 50,000 KRW step from 50- to 100-won ticks. */
  hx_market_trade (market, samsung, 49950, 1);
  hx_market_get_book (market, samsung, &book);
  assert_book_sane (samsung, &book);
  g_assert_cmpint (book.ask[0], ==, 49950);
  g_assert_cmpint (book.ask[1], ==, 50000);
  g_assert_cmpint (book.ask[2], ==, 50100);

  hx_market_trade (market, samsung, samsung->upper_limit, -1);
  hx_market_get_book (market, samsung, &book);
  assert_book_sane (samsung, &book);
  g_assert_cmpint (book.bid[0], ==, samsung->upper_limit);
  g_assert_cmpint (book.ask[0], ==, 0);
  g_assert_cmpint (book.total_ask_qty, ==, 0);

  hx_market_trade (market, samsung, samsung->lower_limit, -1);
  hx_market_get_book (market, samsung, &book);
  assert_book_sane (samsung, &book);
  g_assert_cmpint (book.bid[0], ==, samsung->lower_limit);
  g_assert_cmpint (book.bid[1], ==, 0);
}

static void
test_market_play_path (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, small_tsv);
  HxSymbol *samsung = hx_market_lookup (market, "005930");
  const gint64 path[] = { 10100, 10203, 99999, 10000 };
  const gint64 expected[] = { 10100, 10200, 13000, 10000 };
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  Recorder recorder;

  recorder_init (&recorder, market);
  hx_market_play_path (market, samsung, path, G_N_ELEMENTS (path), -5, 2);
  g_assert_true (samsung->scripted);
  /* Played from the main loop, never synchronously. */
  g_assert_cmpuint (recorder.trades->len, ==, 0);

  while (recorder.trades->len < G_N_ELEMENTS (path) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  run_loop_for (10);

  g_assert_cmpuint (recorder.trades->len, ==, G_N_ELEMENTS (path));
  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    {
      const HxTrade *trade = g_ptr_array_index (recorder.trades, i);

      g_assert_true (trade->symbol == samsung);
      g_assert_cmpint (trade->price, ==, expected[i]);
      g_assert_cmpint (trade->qty, ==, -5);
    }

  /* The random walk leaves a scripted symbol alone. */
  g_ptr_array_set_size (recorder.trades, 0);
  hx_market_walk (market, 500);
  for (guint i = 0; i < recorder.trades->len; i++)
    g_assert_false (((HxTrade *) g_ptr_array_index (recorder.trades, i))->symbol == samsung);

  hx_market_set_scripted (market, samsung, FALSE);
  g_assert_false (samsung->scripted);

  g_ptr_array_unref (recorder.trades);
}

static void
test_market_running (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  g_autoptr(GDateTime) saturday = kst (2024, 3, 9, 10, 0, 0);
  g_autoptr(HxClock) closed = hx_clock_new (HX_CLOCK_KRX, 1.0, saturday);
  g_autoptr(HxMarket) weekend = market_with (closed, 1, NULL);
  Recorder recorder;
  Recorder quiet;

  recorder_init (&recorder, market);
  recorder_init (&quiet, weekend);

  hx_market_start (market, 500.0);
  hx_market_start (weekend, 500.0);
  g_assert_true (hx_market_is_running (market));
  run_loop_for (300);
  hx_market_stop (market);
  hx_market_stop (weekend);
  g_assert_false (hx_market_is_running (market));

  /* About 150 prints in 0.3 s; timers are loose, so only the order of magnitude counts. */
  g_assert_cmpuint (recorder.trades->len, >=, 50);
  g_assert_cmpuint (recorder.trades->len, <=, 300);
  g_assert_cmpuint (quiet.trades->len, ==, 0);

  g_ptr_array_unref (recorder.trades);
  g_ptr_array_unref (quiet.trades);
}

static void
assert_bar_sane (const HxDailyBar *bar)
{
  g_assert_true (hoga_krx_is_on_grid (bar->open));
  g_assert_true (hoga_krx_is_on_grid (bar->high));
  g_assert_true (hoga_krx_is_on_grid (bar->low));
  g_assert_true (hoga_krx_is_on_grid (bar->close));
  g_assert_cmpint (bar->low, <=, MIN (bar->open, bar->close));
  g_assert_cmpint (bar->high, >=, MAX (bar->open, bar->close));
  g_assert_cmpint (bar->volume, >, 0);
  g_assert_cmpint (bar->value_million, >, 0);
}

static void
assert_bars_equal (const HxDailyBar *a,
                   const HxDailyBar *b)
{
  g_assert_cmpstr (a->date, ==, b->date);
  g_assert_cmpint (a->open, ==, b->open);
  g_assert_cmpint (a->high, ==, b->high);
  g_assert_cmpint (a->low, ==, b->low);
  g_assert_cmpint (a->close, ==, b->close);
  g_assert_cmpint (a->volume, ==, b->volume);
  g_assert_cmpint (a->value_million, ==, b->value_million);
}

static void
test_market_daily_bars (void)
{
  g_autoptr(GDateTime) wednesday = kst (2024, 3, 6, 10, 0, 0);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, wednesday);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  HxSymbol *samsung = hx_market_lookup (market, "005930");
  g_autoptr(GArray) bars = hx_market_daily_bars (market, samsung, "20240306", 30);
  g_autoptr(GArray) older = hx_market_daily_bars (market, samsung, "20240303", 5);
  g_autoptr(GArray) live = NULL;
  g_autoptr(GArray) bad = hx_market_daily_bars (market, samsung, "2024-03-06", 5);
  const HxDailyBar *first;

  g_assert_cmpuint (bars->len, ==, 30);
  first = &g_array_index (bars, HxDailyBar, 0);
  /* No trade today yet: the newest row is yesterday, closing at today's base price. */
  g_assert_cmpstr (first->date, ==, "20240305");
  g_assert_cmpint (first->close, ==, samsung->base_price);
  g_assert_cmpint (first->volume, ==, samsung->prev_volume);

  for (guint i = 0; i < bars->len; i++)
    {
      const HxDailyBar *bar = &g_array_index (bars, HxDailyBar, i);
      g_autoptr(GDateTime) day = NULL;
      int year, month, dom;

      assert_bar_sane (bar);
      g_assert_cmpint (sscanf (bar->date, "%4d%2d%2d", &year, &month, &dom), ==, 3);
      day = kst (year, month, dom, 12, 0, 0);
      g_assert_cmpint (g_date_time_get_day_of_week (day), <=, 5);
      if (i > 0)
        {
          const HxDailyBar *newer = &g_array_index (bars, HxDailyBar, i - 1);

          g_assert_cmpstr (bar->date, <, newer->date);
          /* The newer day's close lies within the limits of this day's close. */
          g_assert_cmpint (newer->close, <=, hoga_krx_upper_limit (bar->close));
          g_assert_cmpint (newer->close, >=, hoga_krx_lower_limit (bar->close));
        }
    }

  /* A page further back shows the very same days: Friday 1 March first. */
  g_assert_cmpuint (older->len, ==, 5);
  g_assert_cmpstr (g_array_index (older, HxDailyBar, 0).date, ==, "20240301");
  for (guint i = 0; i < older->len; i++)
    assert_bars_equal (&g_array_index (older, HxDailyBar, i), &g_array_index (bars, HxDailyBar, i + 2));

  /* Once today has traded, today's live row comes first. */
  hx_market_trade (market, samsung, samsung->base_price + 100, 10);
  live = hx_market_daily_bars (market, samsung, "20991231", 2);
  g_assert_cmpuint (live->len, ==, 2);
  g_assert_cmpstr (g_array_index (live, HxDailyBar, 0).date, ==, "20240306");
  g_assert_cmpint (g_array_index (live, HxDailyBar, 0).close, ==, samsung->base_price + 100);
  g_assert_cmpint (g_array_index (live, HxDailyBar, 0).volume, ==, 10);
  assert_bars_equal (&g_array_index (live, HxDailyBar, 1), first);

  g_assert_cmpuint (bad->len, ==, 0);
}

static void
test_market_new_day (void)
{
  /* Monday evening at 100,000×: Tuesday's pre-market comes after about 0.45 s. */
  g_autoptr(GDateTime) start = kst (2024, 3, 4, 20, 0, 0);
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_KRX, 100000.0, start);
  g_autoptr(HxMarket) market = market_with (clock, 1, small_tsv);
  HxSymbol *samsung = hx_market_lookup (market, "005930");
  HxSymbol *hynix = hx_market_lookup (market, "000660");
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  hx_market_trade (market, samsung, 10500, 42);
  while (samsung->last != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (samsung->base_price, ==, 10500);
  g_assert_cmpint (samsung->prev_volume, ==, 42);
  g_assert_cmpint (samsung->upper_limit, ==, hoga_krx_upper_limit (10500));
  g_assert_cmpint (samsung->last, ==, 0);
  g_assert_cmpint (samsung->cum_volume, ==, 0);
  g_assert_cmpuint (samsung->recent_len, ==, 0);
  /* A symbol that did not trade keeps its base. */
  g_assert_cmpint (hynix->base_price, ==, 10000);
}

/* ---- conditions ---- */

typedef struct {
  HxClock      *clock;
  HxMarket     *market;
  HxConditions *conditions;
  HxSymbol     *symbol;
  GPtrArray    *events;       /* "seq I|D code" */
} Fixture;

static void
changed_cb (HxConditions *conditions,
            const char   *seq,
            const char   *code,
            gboolean      inserted,
            gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->events, g_strdup_printf ("%s %s %s", seq, inserted ? "I" : "D", code));
}

/* Clock at 100×: one simulated second is 10 ms, so a 5 s hold is 50 ms. */
static void
fixture_set_up (Fixture    *fixture,
                const char *keyfile)
{
  g_autoptr(GBytes) bytes = text_bytes (keyfile);
  g_autoptr(GError) error = NULL;

  fixture->clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 100.0, NULL);
  fixture->market = market_with (fixture->clock, 1, small_tsv);
  fixture->conditions = hx_conditions_new (fixture->market, fixture->clock);
  fixture->symbol = hx_market_lookup (fixture->market, "005930");
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  g_assert_true (hx_conditions_load (fixture->conditions, bytes, &error));
  g_assert_no_error (error);
  g_signal_connect (fixture->conditions, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture)
{
  g_clear_object (&fixture->conditions);
  g_clear_object (&fixture->market);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
}

static void
trade (Fixture *fixture,
       gint64   price,
       gint64   qty)
{
  hx_market_trade (fixture->market, fixture->symbol, price, qty);
}

static void
assert_events (Fixture    *fixture,
               const char *expected)
{
  g_autoptr(GString) joined = g_string_new ("");

  for (guint i = 0; i < fixture->events->len; i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? ", " : "",
                            (char *) g_ptr_array_index (fixture->events, i));
  g_assert_cmpstr (joined->str, ==, expected);
}

static void
test_conditions_volume_surge (void)
{
  Fixture fixture;

  fixture_set_up (&fixture, "[0]\nname=거래량 급증\nkind=volume-surge\nwindow=5\nratio=5\nhold-seconds=5\n");

  /* Fewer than window + 1 ticks: no judgement yet, however big. */
  for (guint i = 0; i < 5; i++)
    trade (&fixture, 10000, i == 0 ? 1000 : 10);
  assert_events (&fixture, "");

  trade (&fixture, 10000, 10);                  /* mean of the previous five: 208 */
  trade (&fixture, 10000, -49);                 /* 49 < 5 × 10 */
  assert_events (&fixture, "");
  trade (&fixture, 10010, -70);                 /* 70 < 5 × 17.8 */
  assert_events (&fixture, "");
  trade (&fixture, 10010, 1000);                /* 1000 ≥ 5 × 29.8 */
  assert_events (&fixture, "0 I 005930");
  trade (&fixture, 10010, 10);
  assert_events (&fixture, "0 I 005930");

  /* A spike is an instant: out five simulated seconds later, by the timer. */
  run_loop_for (120);
  assert_events (&fixture, "0 I 005930, 0 D 005930");

  fixture_tear_down (&fixture);
}

static void
test_conditions_change_above (void)
{
  Fixture fixture;
  g_autoptr(GPtrArray) members = NULL;

  fixture_set_up (&fixture, "[1]\nname=상승률 3% 이상\nkind=change-above\npercent=3\nhold-seconds=5\n");

  trade (&fixture, 10290, 1);
  assert_events (&fixture, "");
  trade (&fixture, 10300, 1);
  assert_events (&fixture, "1 I 005930");
  members = hx_conditions_members (fixture.conditions, "1");
  g_assert_cmpuint (members->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (members, 0), ==, "005930");

  /* False, but not for long enough; then true again: no churn. */
  trade (&fixture, 10200, 1);
  trade (&fixture, 10400, 1);
  run_loop_for (40);
  assert_events (&fixture, "1 I 005930");

  /* False for the hold time: out, on the symbol's own trade. */
  trade (&fixture, 10200, 1);
  g_usleep (60000);
  trade (&fixture, 10200, 1);
  assert_events (&fixture, "1 I 005930, 1 D 005930");

  fixture_tear_down (&fixture);
}

static void
test_conditions_new_high (void)
{
  Fixture fixture;

  fixture_set_up (&fixture, "[2]\nname=당일 신고가\nkind=new-high\nmin-change=1\nhold-seconds=5\n");

  trade (&fixture, 10000, 1);                   /* a high, but +0 % */
  trade (&fixture, 10050, 1);                   /* a high, +0.5 % */
  assert_events (&fixture, "");
  trade (&fixture, 10100, 1);                   /* a high at +1 % */
  assert_events (&fixture, "2 I 005930");
  run_loop_for (120);
  assert_events (&fixture, "2 I 005930, 2 D 005930");

  trade (&fixture, 10100, 1);                   /* equals the high: not a new one */
  trade (&fixture, 10000, 1);
  assert_events (&fixture, "2 I 005930, 2 D 005930");
  trade (&fixture, 10110, 1);
  assert_events (&fixture, "2 I 005930, 2 D 005930, 2 I 005930");

  fixture_tear_down (&fixture);
}

static void
test_conditions_ma_cross (void)
{
  Fixture fixture;

  fixture_set_up (&fixture, "[3]\nname=골든크로스 2/4\nkind=ma-cross\nshort=2\nlong=4\nhold-seconds=5\n");

  trade (&fixture, 10100, 1);
  trade (&fixture, 10050, 1);
  trade (&fixture, 10000, 1);
  trade (&fixture, 9950, 1);
  trade (&fixture, 9900, 1);
  assert_events (&fixture, "");
  /* short (9900, 10200) = 10050 > long (10000, 9950, 9900, 10200) = 10012.5, and before
   * it short 9925 < long 9975: a cross up. */
  trade (&fixture, 10200, 1);
  assert_events (&fixture, "3 I 005930");
  /* Still above, but no new cross: nothing to report; out after the hold. */
  trade (&fixture, 10300, 1);
  run_loop_for (120);
  assert_events (&fixture, "3 I 005930, 3 D 005930");

  fixture_tear_down (&fixture);
}

static void
test_conditions_drop_from_high (void)
{
  Fixture fixture;

  fixture_set_up (&fixture, "[4]\nname=고점 대비 3% 하락\nkind=drop-from-high\npercent=3\nhold-seconds=5\n");

  trade (&fixture, 10000, 1);
  trade (&fixture, 10300, 1);
  trade (&fixture, 10000, 1);                   /* 10000 > 10300 × 0.97 = 9991 */
  assert_events (&fixture, "");
  trade (&fixture, 9990, 1);
  assert_events (&fixture, "4 I 005930");

  /* Back up: out once it has stayed up for the hold time (the timer sees it). */
  trade (&fixture, 10200, 1);
  assert_events (&fixture, "4 I 005930");
  run_loop_for (120);
  assert_events (&fixture, "4 I 005930, 4 D 005930");

  fixture_tear_down (&fixture);
}

static void
test_conditions_force (void)
{
  Fixture fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) unknown = NULL;

  fixture_set_up (&fixture, "[0]\nname=상승률\nkind=change-above\npercent=3\nhold-seconds=5\n");
  hx_conditions_set_automatic (fixture.conditions, FALSE);

  /* Without automatic evaluation trades change nothing. */
  trade (&fixture, 12000, 1);
  assert_events (&fixture, "");

  g_assert_true (hx_conditions_force (fixture.conditions, "0", "A000660", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (hx_conditions_force (fixture.conditions, "0", "005930_NX", TRUE, &error));
  /* Forcing the current state is no event. */
  g_assert_true (hx_conditions_force (fixture.conditions, "0", "000660", TRUE, &error));
  assert_events (&fixture, "0 I 000660, 0 I 005930");

  members = hx_conditions_members (fixture.conditions, "0");
  g_assert_cmpuint (members->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (members, 0), ==, "000660");
  g_assert_cmpstr (g_ptr_array_index (members, 1), ==, "005930");
  unknown = hx_conditions_members (fixture.conditions, "9");
  g_assert_cmpuint (unknown->len, ==, 0);

  /* Forced members stay: nothing evaluates them now. */
  run_loop_for (40);
  g_assert_true (hx_conditions_force (fixture.conditions, "0", "005930", FALSE, &error));
  assert_events (&fixture, "0 I 000660, 0 I 005930, 0 D 005930");

  g_assert_false (hx_conditions_force (fixture.conditions, "7", "005930", TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "7"));
  g_clear_error (&error);
  g_assert_false (hx_conditions_force (fixture.conditions, "0", "999999", TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "999999"));
  g_clear_error (&error);
  assert_events (&fixture, "0 I 000660, 0 I 005930, 0 D 005930");

  fixture_tear_down (&fixture);
}

static void
test_conditions_load (void)
{
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  g_autoptr(HxConditions) conditions = hx_conditions_new (market, clock);
  g_autoptr(GBytes) bytes = resource ("conditions.ini");
  g_autoptr(GError) error = NULL;

  g_assert_true (hx_conditions_load (conditions, bytes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hx_conditions_get_n (conditions), >=, 5);
  for (guint i = 0; i < hx_conditions_get_n (conditions); i++)
    {
      const HxCondition *condition = hx_conditions_get (conditions, i);
      g_autofree char *seq = g_strdup_printf ("%u", i);

      g_assert_cmpstr (condition->seq, ==, seq);
      g_assert_true (g_utf8_validate (condition->name, -1, NULL));
      g_assert_cmpuint (strlen (condition->name), >, 0);
      g_assert_true (hx_conditions_lookup (conditions, seq) == condition);
    }
  g_assert_cmpstr (hx_conditions_lookup (conditions, "0")->name, ==, "거래량 급증");
  g_assert_null (hx_conditions_lookup (conditions, "99"));
}

static void
test_conditions_load_errors (void)
{
  static const struct {
    const char *keyfile;
    int         code;
    const char *message_part;
  } cases[] = {
    { "[0]\nname=x\nkind=sideways\n", G_KEY_FILE_ERROR_INVALID_VALUE, "volume-surge, change-above, new-high, ma-cross, drop-from-high" },
    { "[0]\nkind=new-high\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND, "“name”" },
    { "[first]\nname=x\nkind=new-high\n", G_KEY_FILE_ERROR_INVALID_VALUE, "[first]" },
    { "[0]\nname=x\nkind=volume-surge\n", G_KEY_FILE_ERROR_KEY_NOT_FOUND, "“ratio”" },
    { "[0]\nname=x\nkind=volume-surge\nratio=5\nwindow=40\n", G_KEY_FILE_ERROR_INVALID_VALUE, "“window”" },
    { "[3]\nname=x\nkind=ma-cross\nshort=20\nlong=5\n", G_KEY_FILE_ERROR_INVALID_VALUE, "[3]" },
    { "[0]\nname=x\nkind=change-above\npercent=abc\n", G_KEY_FILE_ERROR_INVALID_VALUE, "“percent”" },
    { "[0]\nname=x\nkind=drop-from-high\npercent=3\nhold-seconds=-1\n", G_KEY_FILE_ERROR_INVALID_VALUE, "“hold-seconds”" },
    { "name=x\n", G_KEY_FILE_ERROR_GROUP_NOT_FOUND, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 1.0, NULL);
      g_autoptr(HxMarket) market = market_with (clock, 1, small_tsv);
      g_autoptr(HxConditions) conditions = hx_conditions_new (market, clock);
      g_autoptr(GBytes) good = text_bytes ("[0]\nname=ok\nkind=new-high\n");
      g_autoptr(GBytes) bytes = text_bytes (cases[i].keyfile);
      g_autoptr(GError) error = NULL;

      g_assert_true (hx_conditions_load (conditions, good, NULL));
      g_assert_false (hx_conditions_load (conditions, bytes, &error));
      g_assert_error (error, G_KEY_FILE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      /* The set loaded before stays. */
      g_assert_cmpstr (hx_conditions_lookup (conditions, "0")->name, ==, "ok");
    }
}

static void
count_events_cb (HxConditions *conditions,
                 const char   *seq,
                 const char   *code,
                 gboolean      inserted,
                 gpointer      user_data)
{
  guint *counts = user_data;
  guint index = (guint) g_ascii_strtoull (seq, NULL, 10);

  g_assert_cmpuint (index, <, 5);
  counts[index * 2 + (inserted ? 0 : 1)]++;
}

static void
test_conditions_churn (void)
{
  /* The built-in data at 50 prints a simulated second for two simulated minutes, at 100×:
   * every condition lets symbols in and out. */
  g_autoptr(HxClock) clock = hx_clock_new (HX_CLOCK_ALWAYS_OPEN, 100.0, NULL);
  g_autoptr(HxMarket) market = market_with (clock, 1, NULL);
  g_autoptr(HxConditions) conditions = hx_conditions_new (market, clock);
  g_autoptr(GBytes) bytes = resource ("conditions.ini");
  guint counts[10] = { 0, };

  g_assert_true (hx_conditions_load (conditions, bytes, NULL));
  g_signal_connect (conditions, "changed", G_CALLBACK (count_events_cb), counts);

  for (guint second = 0; second < 120; second++)
    {
      hx_market_walk (market, 50);
      run_loop_for (10);
    }

  for (guint i = 0; i < 5; i++)
    {
      g_test_message ("condition %u: %u I, %u D", i, counts[i * 2], counts[i * 2 + 1]);
      g_assert_cmpuint (counts[i * 2], >, 0);
      g_assert_cmpuint (counts[i * 2 + 1], >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hx/clock/always-open", test_clock_always_open);
  g_test_add_func ("/hx/clock/speed", test_clock_speed);
  g_test_add_func ("/hx/clock/format", test_clock_format);
  g_test_add_func ("/hx/clock/krx-phases", test_clock_krx_phases);
  g_test_add_func ("/hx/clock/phase-changed", test_clock_phase_changed);

  g_test_add_func ("/hx/market/load", test_market_load);
  g_test_add_func ("/hx/market/load-errors", test_market_load_errors);
  g_test_add_func ("/hx/market/generated", test_market_generated);
  g_test_add_func ("/hx/market/lookup", test_market_lookup);
  g_test_add_func ("/hx/market/trade-snaps", test_market_trade_snaps);
  g_test_add_func ("/hx/market/walk-on-grid", test_market_walk_on_grid);
  g_test_add_func ("/hx/market/deterministic", test_market_deterministic);
  g_test_add_func ("/hx/market/book", test_market_book);
  g_test_add_func ("/hx/market/play-path", test_market_play_path);
  g_test_add_func ("/hx/market/running", test_market_running);
  g_test_add_func ("/hx/market/daily-bars", test_market_daily_bars);
  g_test_add_func ("/hx/market/new-day", test_market_new_day);

  g_test_add_func ("/hx/conditions/load", test_conditions_load);
  g_test_add_func ("/hx/conditions/load-errors", test_conditions_load_errors);
  g_test_add_func ("/hx/conditions/volume-surge", test_conditions_volume_surge);
  g_test_add_func ("/hx/conditions/change-above", test_conditions_change_above);
  g_test_add_func ("/hx/conditions/new-high", test_conditions_new_high);
  g_test_add_func ("/hx/conditions/ma-cross", test_conditions_ma_cross);
  g_test_add_func ("/hx/conditions/drop-from-high", test_conditions_drop_from_high);
  g_test_add_func ("/hx/conditions/force", test_conditions_force);
  g_test_add_func ("/hx/conditions/churn", test_conditions_churn);

  return g_test_run ();
}
