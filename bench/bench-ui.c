/* bench-ui.c — frame time of the trading frames under a full market
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The load: 3,000 symbols in the quote book and 200 tracked rows updating at
 * 10 Hz. A window at 1280×800 holds the account, tracking and orders frames on the
 * core's real models (HogaAccount, HogaTracker, a GListStore of HogaOrder); every 100 ms
 * each tracked symbol gets a tick, which moves its quote, its holding and its position
 * (price, return, peak and stop), and the other 2,800 quotes get ticks at 2,000 a second.
 *
 * Measured, per phase of PHASE_S seconds, in the same run:
 *   baseline  — the same window with one tracked row ticking at 10 Hz (a frame per tick,
 *               the least work a frame does here)
 *   loaded    — the load above
 * frame time = GdkFrameClock "layout" to "after-paint" of each frame; main-loop block =
 * the longest lateness of a 5 ms timer. Results are printed with the loaded/baseline ratio;
 * the pass bar is p99 ≤ 16.7 ms and no block over 50 ms in the loaded phase. Run under
 * Xvfb with GSK_RENDERER=cairo (meson's benchmark target sets the renderer).
 */
#include "config.h"

#include <stdlib.h>

#include "hoga-account-table.h"
#include "hoga-account.h"
#include "hoga-krx.h"
#include "hoga-order.h"
#include "hoga-orders-table.h"
#include "hoga-quote-book.h"
#include "hoga-tracker.h"
#include "hoga-tracking-table.h"
#include "hoga-ui.h"

#define N_SYMBOLS     3000
#define N_TRACKED     200
#define N_ORDERS      400
#define TRACKED_HZ    10
#define OTHER_TICKS_S 2000
#define PHASE_S       10

typedef char Code[8];

typedef struct {
  HogaQuoteBook *quotes;
  HogaAccount   *account;
  HogaTracker   *tracker;
  GListStore    *orders;
  Code          *codes;
  gint64        *prices;
  GRand         *rand;

  GArray        *frame_us;       /* frame times of the current phase */
  gint64         layout_start_us;
  gint64         max_block_us;
  gint64         last_tick_us;
  gboolean       loaded;
  guint          other_next;
} Bench;

static void
make_tick (Bench    *bench,
           guint     i,
           HogaTick *tick)
{
  gint64 price = bench->prices[i];
  gint64 step = hoga_krx_tick_size (price);

  price += step * g_rand_int_range (bench->rand, -2, 3);
  price = MAX (price, 1000);
  bench->prices[i] = price;

  *tick = (HogaTick) {
    .received_us = g_get_monotonic_time (),
    .hhmmss = 100000,
    .sign = 2,
    .session = 2,
    .price = price,
    .change = price - 50000,
    .change_bp = (gint32) ((price - 50000) * 10000 / 50000),
    .cum_volume = 1000 + i,
    .open = 50000,
    .high = MAX (price, 50000),
    .low = MIN (price, 50000),
    .best_ask = price + step,
    .best_bid = price,
  };
  g_strlcpy (tick->code, bench->codes[i], sizeof tick->code);
}

static void
apply_tracked_tick (Bench *bench,
                    guint  i)
{
  HogaTick tick;
  HogaPosition *position;
  HogaExitState state;

  make_tick (bench, i, &tick);
  hoga_quote_book_apply_tick (bench->quotes, &tick);
  hoga_account_apply_tick (bench->account, &tick);
  position = hoga_tracker_apply_tick (bench->tracker, &tick);
  if (position == NULL)
    return;
  state = (HogaExitState) {
    .avg_cost = 50000,
    .entry_filled = TRUE,
    .peak = MAX (hoga_position_get_peak (position), tick.price),
  };
  state.armed = state.peak >= 51500;
  state.stop = state.armed ? state.peak - hoga_krx_tick_size (state.peak) * 5 : 0;
  hoga_position_apply_exit_state (position, &state);
}

static gboolean
tracked_cb (gpointer user_data)
{
  Bench *bench = user_data;

  for (guint i = 0; i < (bench->loaded ? N_TRACKED : 1); i++)
    apply_tracked_tick (bench, i);
  return G_SOURCE_CONTINUE;
}

static gboolean
others_cb (gpointer user_data)
{
  Bench *bench = user_data;
  HogaTick tick;

  if (!bench->loaded)
    return G_SOURCE_CONTINUE;
  /* Every 10 ms, a 100th of a second's worth. */
  for (guint n = 0; n < OTHER_TICKS_S / 100; n++)
    {
      guint i = N_TRACKED + bench->other_next++ % (N_SYMBOLS - N_TRACKED);

      make_tick (bench, i, &tick);
      hoga_quote_book_apply_tick (bench->quotes, &tick);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();

  if (bench->last_tick_us != 0)
    bench->max_block_us = MAX (bench->max_block_us, now - bench->last_tick_us - 5000);
  bench->last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static void
layout_cb (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->layout_start_us = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *bench)
{
  gint64 elapsed;

  if (bench->layout_start_us == 0)
    return;
  elapsed = g_get_monotonic_time () - bench->layout_start_us;
  g_array_append_val (bench->frame_us, elapsed);
  bench->layout_start_us = 0;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
percentile (GArray *values,
            double  p)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_gint64);
  index = MIN (values->len - 1, (guint) (p * values->len));
  return g_array_index (values, gint64, index);
}

typedef struct {
  guint  frames;
  gint64 p50_us;
  gint64 p99_us;
  gint64 max_us;
  gint64 max_block_us;
} Phase;

static Phase
run_phase (Bench    *bench,
           gboolean  loaded)
{
  gint64 end = g_get_monotonic_time () + PHASE_S * G_USEC_PER_SEC;
  Phase phase;

  g_array_set_size (bench->frame_us, 0);
  bench->max_block_us = 0;
  bench->last_tick_us = 0;
  bench->loaded = loaded;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  phase.frames = bench->frame_us->len;
  phase.p50_us = percentile (bench->frame_us, 0.50);
  phase.p99_us = percentile (bench->frame_us, 0.99);
  phase.max_us = percentile (bench->frame_us, 1.0);
  phase.max_block_us = bench->max_block_us;
  return phase;
}

static void
populate (Bench *bench)
{
  g_autoptr(GArray) holdings = g_array_new (FALSE, TRUE, sizeof (HogaHoldingInfo));
  HogaBalance balance = { 0 };

  for (guint i = 0; i < N_SYMBOLS; i++)
    {
      g_autofree char *name = g_strdup_printf ("종목 %04u", i);

      g_snprintf (bench->codes[i], sizeof bench->codes[i], "%06u", 100000 + i);
      bench->prices[i] = 50000;
      hoga_quote_book_add (bench->quotes, bench->codes[i], name);
    }

  for (guint i = 0; i < N_TRACKED; i++)
    {
      HogaHoldingInfo info = { 0 };
      g_autoptr(HogaPosition) position = NULL;
      g_autofree char *name = g_strdup_printf ("종목 %04u", i);

      g_strlcpy (info.code, bench->codes[i], sizeof info.code);
      g_strlcpy (info.name, name, sizeof info.name);
      info.qty = info.sellable_qty = 20;
      info.avg_price = info.price = 50000;
      info.purchase_amount = info.eval_amount = 20 * 50000;
      g_array_append_val (holdings, info);

      position = hoga_position_new (bench->codes[i], name, g_get_real_time ());
      hoga_position_set_fill (position, 50000, 20);
      hoga_tracker_add (bench->tracker, position);
    }
  balance.holdings = holdings;
  hoga_account_replace_holdings (bench->account, &balance);

  for (guint i = 0; i < N_ORDERS; i++)
    {
      HogaOrderRecord record = { 0 };
      g_autoptr(HogaOrder) order = NULL;

      record.id = i + 1;
      record.created_at = g_get_real_time ();
      g_strlcpy (record.code, bench->codes[i % N_TRACKED], sizeof record.code);
      g_snprintf (record.ord_no, sizeof record.ord_no, "%07u", 1000 + i);
      record.side = i % 2 == 0 ? HOGA_SIDE_BUY : HOGA_SIDE_SELL;
      record.qty = record.filled_qty = 20;
      record.filled_amount = record.filled_qty * 50000;
      record.state = HOGA_ORDER_STATE_FILLED;
      order = hoga_order_new (&record);
      g_list_store_append (bench->orders, order);
    }
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  GtkWidget *window;
  GtkWidget *paned;
  GtkWidget *vpaned;
  GtkWidget *account_table;
  GtkWidget *tracking_table;
  GtkWidget *orders_table;
  Phase baseline;
  Phase loaded;
  gboolean ok;

  if (!gtk_init_check ())
    {
      g_printerr ("bench-ui: no display (run under xvfb-run)\n");
      return 77;
    }
  hoga_ui_init ();

  bench.quotes = hoga_quote_book_new (128);
  bench.account = hoga_account_new ();
  bench.tracker = hoga_tracker_new ();
  bench.orders = g_list_store_new (HOGA_TYPE_ORDER);
  bench.codes = g_new0 (Code, N_SYMBOLS);
  bench.prices = g_new0 (gint64, N_SYMBOLS);
  bench.rand = g_rand_new_with_seed (7);
  bench.frame_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  populate (&bench);

  account_table = hoga_account_table_new ();
  tracking_table = hoga_tracking_table_new ();
  orders_table = hoga_orders_table_new ();
  hoga_account_table_set_model (HOGA_ACCOUNT_TABLE (account_table), G_LIST_MODEL (bench.account));
  hoga_tracking_table_set_model (HOGA_TRACKING_TABLE (tracking_table),
                                 G_LIST_MODEL (bench.tracker));
  hoga_orders_table_set_model (HOGA_ORDERS_TABLE (orders_table), G_LIST_MODEL (bench.orders));

  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_start_child (GTK_PANED (paned), account_table);
  gtk_paned_set_end_child (GTK_PANED (paned), tracking_table);
  gtk_paned_set_position (GTK_PANED (paned), 560);
  vpaned = gtk_paned_new (GTK_ORIENTATION_VERTICAL);
  gtk_paned_set_start_child (GTK_PANED (vpaned), paned);
  gtk_paned_set_end_child (GTK_PANED (vpaned), orders_table);
  gtk_paned_set_position (GTK_PANED (vpaned), 520);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), vpaned);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

    g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), &bench);
    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &bench);
  }
  g_timeout_add (1000 / TRACKED_HZ, tracked_cb, &bench);
  g_timeout_add (10, others_cb, &bench);
  g_timeout_add (5, watchdog_cb, &bench);

  /* Warm-up: the first layouts of every row and the glyph caches are not steady state. */
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    bench.loaded = TRUE;
    while (g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
  }
  baseline = run_phase (&bench, FALSE);
  loaded = run_phase (&bench, TRUE);

  g_print ("bench-ui: %u symbols, %u tracked rows at %u Hz, %u orders, %d s per phase, "
           "renderer %s\n", N_SYMBOLS, N_TRACKED, TRACKED_HZ, N_ORDERS, PHASE_S,
           g_getenv ("GSK_RENDERER") != NULL ? g_getenv ("GSK_RENDERER") : "default");
  g_print ("  baseline: %4u frames, p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms, longest block %6.2f ms\n",
           baseline.frames, baseline.p50_us / 1000.0, baseline.p99_us / 1000.0, baseline.max_us / 1000.0,
           baseline.max_block_us / 1000.0);
  g_print ("  loaded  : %4u frames, p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms, longest block %6.2f ms\n",
           loaded.frames, loaded.p50_us / 1000.0, loaded.p99_us / 1000.0,
           loaded.max_us / 1000.0, loaded.max_block_us / 1000.0);
  g_print ("  ratio loaded/baseline: p50 %.2f×, p99 %.2f×\n",
           baseline.p50_us > 0 ? (double) loaded.p50_us / baseline.p50_us : 0.0,
           baseline.p99_us > 0 ? (double) loaded.p99_us / baseline.p99_us : 0.0);

  ok = loaded.frames > 0 && loaded.p99_us <= 16700 && loaded.max_block_us <= 50000;
  g_print ("bench-ui: %s (bar: loaded p99 ≤ 16.7 ms, no block over 50 ms)\n",
           ok ? "PASS" : "FAIL");

  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (bench.frame_us);
  g_rand_free (bench.rand);
  g_free (bench.prices);
  g_free (bench.codes);
  g_object_unref (bench.orders);
  g_object_unref (bench.tracker);
  g_object_unref (bench.account);
  g_object_unref (bench.quotes);
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
