/* hoga-engine.c — the orchestrator: conditions in, orders out, positions protected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN.md §2 (the data path) and §4 (the trading engine). The decisions themselves are
 * pure functions elsewhere (entry rules, exit rules, risk guard); this file gathers what
 * they need, obeys their verdicts, and keeps the models and the journal up to date.
 */
#define G_LOG_DOMAIN "hoga-engine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hoga-engine.h"
#include "hoga-entry-rules.h"
#include "hoga-exit-rules.h"
#include "hoga-krx.h"

/* Realtime registrations the engine allows itself (DESIGN.md §3: ≤ 100 items per REG
 * until measured otherwise). */
#define MAX_REGISTRATIONS 100

/* How long start waits for the broker's first login. */
#define ONLINE_TIMEOUT_S 30

/* Housekeeping period: time-based rules (end of day, unfilled timeouts, retries of exits
 * no tick will trigger) must fire even when no tick arrives. */
#define HOUSEKEEPING_INTERVAL_S 1

/* While an order's outcome is unknown, the broker is asked this often what became of it:
 * nothing for that symbol may be sent until it is resolved. */
#define RECONCILE_PERIOD_S 5

#define HHMMSS_CACHE_US (G_USEC_PER_SEC / 10)

/* Per-symbol state the models do not hold. */
typedef struct {
  char            code[HOGA_CODE_SIZE];
  HogaExitState   exit;
  gboolean        buy_pending;       /* a buy decision is being carried out */
  gboolean        price_lookup;      /* ka10001 asked for a price to size a buy */
  gboolean        bought_today;
  gint64          cooldown_start_us; /* monotonic; 0 = no cooldown */
  HogaOrder      *buy_order;
  HogaOrder      *sell_order;
  gboolean        sell_in_flight;
  gint64          sell_retry_after_us;
  HogaExitReason  sell_reason;
  char           *sell_reason_id;
  HogaOrderOrigin sell_origin;
  gboolean        resend_market;     /* when the working sell is cancelled, sell at market */
  gboolean        sell_condition;    /* the sell condition fired; latched until sold */
  HogaExitReason  held_exit;         /* an exit reported while automatic selling is off */
  gboolean        subscribed;
  gint64          subscribed_us;     /* monotonic time of the registration */
  gboolean        buy_held;          /* a buy waits for the tick feed to be fresh again */
  gboolean        buy_held_snapshot; /* … and was offered as a snapshot member */
} Symbol;

struct _HogaEngine
{
  GObject                parent_instance;

  HogaBroker            *broker;
  HogaJournal           *journal;
  HogaSettings          *settings;
  HogaEntrySettings      entry;
  HogaExitSettings       exit;
  HogaRiskLimits         limits;

  HogaQuoteBook         *quotes;
  HogaConditionRegistry *conditions;
  HogaAccount           *account;
  HogaTracker           *tracker;
  HogaOrderBook         *orders;

  HogaEngineClockFunc    clock_func;
  gpointer               clock_data;
  GDestroyNotify         clock_destroy;

  GCancellable          *cancellable;
  GHashTable            *symbols;        /* code → Symbol */
  GHashTable            *cancelling;     /* HogaOrder → itself: cancels already asked */
  GHashTable            *cancel_refused; /* HogaOrder → itself: its cancel was refused; no
                                            new one before the broker's lists are read */
  guint                  n_subscribed;
  char                  *buy_seq;
  char                  *sell_seq;
  HogaDailyRecord        daily;
  gint64                 costs_today;    /* fees and taxes of today's orders, KRW */
  guint                  n_buys_held;    /* symbols with buy_held set */
  guint                  housekeeping_id;
  gboolean               deposit_refreshing;
  gboolean               reconciling;
  gboolean               reconcile_again; /* asked for while one was on its way */
  gint64                 last_reconcile_us;
  guint32                hhmmss;         /* the last time of day read from the clock */
  gint64                 hhmmss_at_us;
  gboolean               auto_buy;
  gboolean               auto_sell;
  gboolean               running;
  gboolean               stopped;        /* the journal is closed: this engine is done */
  HogaKillTier           kill_tier;
  guint                  arms_in_flight;  /* condition starts awaiting the broker */
  gboolean               rearm_pending;   /* the conditions changed during one */
};

G_DEFINE_FINAL_TYPE (HogaEngine, hoga_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AUTO_BUY,
  PROP_AUTO_SELL,
  PROP_KILL_TIER,
  PROP_RUNNING,
  PROP_BUYS_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_LOG,
  SIGNAL_PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void submit_sell (HogaEngine      *self,
                         const char      *code,
                         HogaExitReason   reason,
                         const char      *reason_id,
                         HogaOrderOrigin  origin,
                         gboolean         force_market);

static void
symbol_free (gpointer data)
{
  Symbol *symbol = data;

  g_clear_object (&symbol->buy_order);
  g_clear_object (&symbol->sell_order);
  g_free (symbol->sell_reason_id);
  g_free (symbol);
}

static Symbol *
lookup_symbol (HogaEngine *self,
               const char *code)
{
  Symbol *symbol = g_hash_table_lookup (self->symbols, code);

  if (symbol == NULL)
    {
      symbol = g_new0 (Symbol, 1);
      g_strlcpy (symbol->code, code, sizeof symbol->code);
      g_hash_table_insert (self->symbols, symbol->code, symbol);
    }
  return symbol;
}

static void engine_log (HogaEngine     *self,
                        GLogLevelFlags  level,
                        const char     *code,
                        const char     *format,
                        ...) G_GNUC_PRINTF (4, 5);

static void
engine_log (HogaEngine     *self,
            GLogLevelFlags  level,
            const char     *code,
            const char     *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("%s%s%s", code != NULL ? code : "", code != NULL ? ": " : "", message);
  g_signal_emit (self, signals[SIGNAL_LOG], 0, (guint) level, code, message);

  /* Orders, fills, exits and warnings go to the audit trail; the chatter of condition
   * entries and skipped buys would only make the journal sync more often. */
  if (self->running && (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING
                                 | G_LOG_LEVEL_MESSAGE)) != 0)
    {
      HogaAuditRecord audit = {
        .level = (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0 ? HOGA_AUDIT_ERROR
                 : (level & G_LOG_LEVEL_WARNING) != 0 ? HOGA_AUDIT_WARNING
                 : HOGA_AUDIT_INFO,
      };

      g_strlcpy (audit.kind, "engine", sizeof audit.kind);
      g_strlcpy (audit.code, code != NULL ? code : "", sizeof audit.code);
      g_strlcpy (audit.message, message, sizeof audit.message);
      hoga_journal_append_audit_async (self->journal, &audit, NULL, NULL);
    }
}

/* "48,550" from 48550, "-1,200" from -1200: numbers in messages are grouped by thousands,
 * and given to _() as %s so the translatable text holds no platform format macro. */
static void
format_number (gint64 value,
               char   buf[32])
{
  guint64 magnitude = value < 0 ? -(guint64) value : (guint64) value;
  char digits[24];
  gsize n_digits;
  gsize out = 0;

  if (value < 0)
    buf[out++] = '-';
  n_digits = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude);
  for (gsize i = 0; i < n_digits; i++)
    {
      if (i > 0 && (n_digits - i) % 3 == 0)
        buf[out++] = ',';
      buf[out++] = digits[i];
    }
  buf[out] = '\0';
}

static void
report_problem (HogaEngine   *self,
                const GError *error)
{
  engine_log (self, G_LOG_LEVEL_WARNING, NULL, "%s", error->message);
  g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, error);
}

static guint32
now_hhmmss (HogaEngine *self)
{
  g_autoptr(GDateTime) now = hoga_engine_now (self);

  self->hhmmss = g_date_time_get_hour (now) * 10000 + g_date_time_get_minute (now) * 100
                 + g_date_time_get_second (now);
  self->hhmmss_at_us = g_get_monotonic_time ();
  return self->hhmmss;
}

/* The tick path reads the clock at most every HHMMSS_CACHE_US: a GDateTime per tick of
 * every tracked symbol is an allocation the hot path does not need for a time of day. */
static guint32
tick_hhmmss (HogaEngine *self)
{
  if (g_get_monotonic_time () - self->hhmmss_at_us >= HHMMSS_CACHE_US)
    return now_hhmmss (self);
  return self->hhmmss;
}

static guint32
today (HogaEngine *self)
{
  g_autoptr(GDateTime) now = hoga_engine_now (self);

  return g_date_time_get_year (now) * 10000 + g_date_time_get_month (now) * 100
         + g_date_time_get_day_of_month (now);
}

/* The last price when it is fresh enough to decide on, else 0 (DESIGN.md §1.5). */
static gint64
fresh_price (HogaEngine *self,
             const char *code)
{
  HogaQuote *quote = hoga_quote_book_lookup (self->quotes, code);
  gint64 age_us;

  if (quote == NULL)
    return 0;
  age_us = hoga_quote_book_get_age_us (self->quotes, code, g_get_monotonic_time ());
  if (age_us > (gint64) self->settings->staleness_limit_ms * 1000)
    return 0;
  return hoga_quote_get_price (quote);
}

static gint64
base_price (HogaEngine *self,
            const char *code)
{
  HogaQuote *quote = hoga_quote_book_lookup (self->quotes, code);

  return quote != NULL ? hoga_quote_get_base_price (quote) : 0;
}

/* How long the tick feed has said nothing: the least, over the subscribed symbols, of the
 * time since the last tick (or, before the first, since the registration). -1 when nothing
 * is subscribed: there is no feed to judge. One quiet symbol says little; every
 * registration silent at once says the feed is not delivering (DESIGN.md §1.5), and a
 * position bought now could not be protected. */
static gint64
feed_silence_us (HogaEngine *self,
                 gint64      now_us)
{
  GHashTableIter iter;
  Symbol *symbol;
  gint64 silence = -1;

  g_hash_table_iter_init (&iter, self->symbols);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &symbol))
    {
      gint64 age;

      if (!symbol->subscribed)
        continue;
      age = MIN (hoga_quote_book_get_age_us (self->quotes, symbol->code, now_us),
                 now_us - symbol->subscribed_us);
      silence = silence < 0 ? age : MIN (silence, age);
    }
  return silence;
}

static gboolean
feed_is_stale (HogaEngine *self,
               gint64      silence_us)
{
  return silence_us > (gint64) self->settings->staleness_limit_ms * 1000;
}

/* ---- journal ----------------------------------------------------------------------- */

static void
journal_write_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HogaEngine) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A write queued just before stop closed the journal has nothing left to protect. */
  if (!hoga_journal_write_finish (HOGA_JOURNAL (source), result, &error)
      && !g_error_matches (error, HOGA_JOURNAL_ERROR, HOGA_JOURNAL_ERROR_CLOSED))
    report_problem (self, error);
}

/* Kept for the life of the program: the nicks it hands out point into it. */
static GEnumClass *
position_state_class (void)
{
  static GEnumClass *klass;

  if (g_once_init_enter (&klass))
    g_once_init_leave (&klass, g_type_class_ref (HOGA_TYPE_POSITION_STATE));
  return klass;
}

static const char *
position_state_nick (HogaPositionState state)
{
  GEnumValue *value = g_enum_get_value (position_state_class (), state);

  return value != NULL ? value->value_nick : "tracking";
}

static HogaPositionState
position_state_from_nick (const char *nick)
{
  GEnumValue *value = g_enum_get_value_by_nick (position_state_class (), nick);

  return value != NULL ? value->value : HOGA_POSITION_STATE_TRACKING;
}

static HogaExitReason
exit_reason_from_string (const char *text)
{
  for (HogaExitReason reason = HOGA_EXIT_REASON_NONE; reason <= HOGA_EXIT_REASON_END_OF_DAY;
       reason++)
    {
      if (g_strcmp0 (hoga_exit_reason_to_string (reason), text) == 0)
        return reason;
    }
  return HOGA_EXIT_REASON_NONE;
}

static void
save_position (HogaEngine   *self,
               HogaPosition *position)
{
  Symbol *symbol = lookup_symbol (self, hoga_position_get_code (position));
  HogaExitReason reason = hoga_position_get_exit_reason (position);
  HogaPositionRecord record = {
    .qty = hoga_position_get_qty (position),
    .exit = symbol->exit,
    .entered_at = hoga_position_get_entered_at (position),
    .external = hoga_position_get_external (position),
  };

  g_strlcpy (record.code, symbol->code, sizeof record.code);
  g_strlcpy (record.name, hoga_position_get_name (position), sizeof record.name);
  g_strlcpy (record.state, position_state_nick (hoga_position_get_state (position)),
             sizeof record.state);
  g_strlcpy (record.exit_reason,
             reason != HOGA_EXIT_REASON_NONE ? hoga_exit_reason_to_string (reason) : "",
             sizeof record.exit_reason);
  hoga_journal_save_position_async (self->journal, &record, journal_write_cb,
                                    g_object_ref (self));
}

static void
save_daily (HogaEngine *self)
{
  self->daily.kill_tier = self->kill_tier;
  hoga_journal_save_daily_async (self->journal, &self->daily, journal_write_cb,
                                 g_object_ref (self));
}

/* ---- subscriptions, account ------------------------------------------------------- */

static void
subscribe (HogaEngine *self,
           const char *code,
           const char *name)
{
  Symbol *symbol = lookup_symbol (self, code);
  const char *codes[] = { code, NULL };

  hoga_quote_book_add (self->quotes, code, name);
  if (symbol->subscribed)
    return;
  symbol->subscribed = TRUE;
  symbol->subscribed_us = g_get_monotonic_time ();
  self->n_subscribed++;
  hoga_broker_subscribe (self->broker, codes);
}

static void
unsubscribe (HogaEngine *self,
             const char *code)
{
  Symbol *symbol = lookup_symbol (self, code);
  const char *codes[] = { code, NULL };

  if (!symbol->subscribed)
    return;
  symbol->subscribed = FALSE;
  self->n_subscribed--;
  hoga_broker_unsubscribe (self->broker, codes);
}

/* Marks the account's rows: tracked by the tracker, or bought outside Hoga. */
static void
sync_holding (HogaEngine *self,
              const char *code)
{
  HogaHolding *holding = hoga_account_lookup (self->account, code);
  gboolean tracked;

  if (holding == NULL)
    return;
  tracked = hoga_tracker_lookup (self->tracker, code) != NULL;
  hoga_holding_set_tracked (holding, tracked);
  hoga_holding_set_external (holding, !tracked);
}

/* Now in µs since the epoch, on the engine's clock: order and position times follow the
 * broker's clock, which on the simulated profile is the exchange's session clock. */
static gint64
engine_now_us (gpointer user_data)
{
  g_autoptr(GDateTime) now = hoga_engine_now (HOGA_ENGINE (user_data));

  return g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
}

/* Forgets a tracked position, in the journal too; the holding, if any, becomes external. */
static void
untrack (HogaEngine *self,
         const char *code,
         const char *why)
{
  Symbol *symbol;

  if (!hoga_tracker_remove (self->tracker, code))
    return;
  symbol = lookup_symbol (self, code);
  symbol->exit = (HogaExitState) { 0 };
  symbol->sell_condition = FALSE;
  hoga_journal_remove_position_async (self->journal, code, journal_write_cb, g_object_ref (self));
  sync_holding (self, code);
  engine_log (self, G_LOG_LEVEL_MESSAGE, code, "%s", why);
}

/* At start, before anything is sent, the broker's holdings settle the positions none of
 * whose orders is still open (those are left to the order book's reconciliation):
 * - a position the broker no longer holds was sold outside Hoga while it was not running
 *   (or, on the simulated profile, belongs to an earlier exchange), or its buy got nothing:
 *   tracking it would block new buys through max-positions and could try to sell what is
 *   not there;
 * - a position still waiting for the fill of a buy that has ended: its shares are the ones
 *   held (the fill is journaled before the position it changes, so a crash can fall between
 *   the two writes; found by bench/crash-campaign.py);
 * - a position larger than the holding lost its last sell fill the same way, or was sold
 *   down outside Hoga: selling more than is held would be refused again and again.
 * A holding larger than its position is left alone: the rest may be the user's own. */
static void
settle_positions_with_broker (HogaEngine *self)
{
  GListModel *model = G_LIST_MODEL (self->tracker);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaPosition) position = g_list_model_get_item (model, i);
      const char *code = hoga_position_get_code (position);
      HogaHolding *holding = hoga_account_lookup (self->account, code);
      HogaPositionState state = hoga_position_get_state (position);
      Symbol *symbol = lookup_symbol (self, code);
      gint64 held = holding != NULL ? hoga_holding_get_qty (holding) : 0;
      char qty_text[32];

      if (symbol->buy_order != NULL || symbol->sell_in_flight
          || (state != HOGA_POSITION_STATE_TRACKING
              && state != HOGA_POSITION_STATE_WAITING_FILL))
        continue;

      format_number (held, qty_text);
      if (held <= 0)
        g_ptr_array_add (gone, g_strdup (code));
      else if (state == HOGA_POSITION_STATE_WAITING_FILL)
        {
          gint64 price = hoga_holding_get_avg_price (holding);

          symbol->exit.avg_cost = price;
          symbol->exit.entry_filled = TRUE;
          symbol->exit.peak = MAX (symbol->exit.peak, price);
          hoga_position_set_fill (position, price, held);
          hoga_position_apply_exit_state (position, &symbol->exit);
          if (hoga_position_get_price (position) == 0)
            hoga_position_set_price (position, price);
          hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
          save_position (self, position);
          engine_log (self, G_LOG_LEVEL_WARNING, code,
                      _("The buy filled while Hoga was not running: tracking the %s shares "
                        "held"), qty_text);
        }
      else if (hoga_position_get_qty (position) > held)
        {
          hoga_position_set_fill (position, hoga_position_get_avg_cost (position), held);
          save_position (self, position);
          engine_log (self, G_LOG_LEVEL_WARNING, code,
                      _("Fewer shares held at the broker than tracked: tracking the %s "
                        "shares held"), qty_text);
        }
    }

  for (guint i = 0; i < gone->len; i++)
    untrack (self, g_ptr_array_index (gone, i),
             _("No longer held at the broker: tracking stopped"));
}

/* Every holding gets live prices, so the account frame values it as the market moves. */
static void
sync_holdings (HogaEngine *self)
{
  GListModel *model = G_LIST_MODEL (self->account);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaHolding) holding = g_list_model_get_item (model, i);

      sync_holding (self, hoga_holding_get_code (holding));
      subscribe (self, hoga_holding_get_code (holding), hoga_holding_get_name (holding));
    }
}

static void
deposit_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HogaEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree HogaDeposit *deposit = hoga_broker_deposit_finish (HOGA_BROKER (source), result,
                                                                &error);

  self->deposit_refreshing = FALSE;
  if (deposit == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        engine_log (self, G_LOG_LEVEL_WARNING, NULL, _("Could not read the deposit: %s"),
                    error->message);
      return;
    }
  hoga_account_set_deposit (self->account, deposit);
}

/* 04 events carry no cash: after an order settles, the deposit is read again so the risk
 * guard's cash check follows the account. */
static void
refresh_deposit (HogaEngine *self)
{
  if (self->deposit_refreshing || !self->running)
    return;
  self->deposit_refreshing = TRUE;
  hoga_broker_deposit_async (self->broker, self->cancellable, deposit_cb, g_object_ref (self));
}

/* ---- risk --------------------------------------------------------------------------- */

/* Today's realized P&L net of every fee and tax the broker charged today, buys' included:
 * the money that is gone is gone whether or not the position is closed yet. Both parts are
 * journaled (the daily record, the orders' costs), so a restart finds the same figure. */
static gint64
realized_net (HogaEngine *self)
{
  return self->daily.realized_pnl - self->costs_today;
}

static void
publish_realized (HogaEngine *self)
{
  hoga_account_set_realized_today (self->account, realized_net (self));
}

static void
fill_risk_state (HogaEngine    *self,
                 HogaRiskState *state)
{
  GListModel *model = G_LIST_MODEL (self->tracker);
  gint64 unrealized = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaPosition) position = g_list_model_get_item (model, i);
      gint64 price = hoga_position_get_price (position);
      gint64 avg_cost = hoga_position_get_avg_cost (position);

      if (price > 0 && avg_cost > 0)
        unrealized += (price - avg_cost) * hoga_position_get_qty (position);
    }

  *state = (HogaRiskState) {
    .orderable_cash = hoga_account_get_orderable (self->account),
    .start_equity = self->daily.start_equity,
    .realized_pnl = realized_net (self),
    .unrealized_pnl = unrealized,
    .open_positions = g_list_model_get_n_items (model),
    .buys_today = MAX (self->daily.buy_count, 0),
    .kill_tier = self->kill_tier,
  };
}

static void
check_daily_loss (HogaEngine *self)
{
  HogaRiskState state;
  HogaKillTier tier;
  char pnl_bp[32];

  if (!self->running)
    return;
  fill_risk_state (self, &state);
  tier = hoga_risk_daily_loss_tier (&self->limits, &state);
  if (tier <= self->kill_tier)
    return;

  format_number (hoga_risk_daily_pnl_bp (&state), pnl_bp);
  engine_log (self, G_LOG_LEVEL_WARNING, NULL,
              _("Daily loss limit reached (%s bp of start equity)"), pnl_bp);
  hoga_engine_kill_switch (self, tier);
}

/* ---- sells -------------------------------------------------------------------------- */

/* No automated sell of @symbol until the retry cooldown is over (DESIGN.md §4: a rejected
 * sell must not turn into a retry storm on a limit-down stock). */
static void
hold_sells (HogaEngine *self,
            Symbol     *symbol)
{
  symbol->sell_retry_after_us = g_get_monotonic_time ()
                                + (gint64) self->settings->sell_retry_cooldown_s * G_USEC_PER_SEC;
}

static void
sell_settled (HogaEngine *self,
              Symbol     *symbol)
{
  HogaPosition *position = hoga_tracker_lookup (self->tracker, symbol->code);

  symbol->sell_in_flight = FALSE;
  symbol->resend_market = FALSE;
  g_clear_object (&symbol->sell_order);
  if (position != NULL && hoga_position_get_qty (position) > 0
      && hoga_position_get_state (position) == HOGA_POSITION_STATE_SELLING)
    {
      hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
      save_position (self, position);
    }
}

/* Follows the engine's own sell of @symbol to its end. */
static void
follow_sell (HogaEngine *self,
             Symbol     *symbol,
             HogaOrder  *order)
{
  HogaOrderState state = hoga_order_get_state (order);
  const char *error = hoga_order_get_error (order);

  switch (state)
    {
    case HOGA_ORDER_STATE_REJECTED:
      hold_sells (self, symbol);
      engine_log (self, G_LOG_LEVEL_WARNING, symbol->code,
                  _("Sell rejected: %s; next try in %u s"),
                  *error != '\0' ? error : _("no reason given"),
                  self->settings->sell_retry_cooldown_s);
      sell_settled (self, symbol);
      refresh_deposit (self);
      break;

    case HOGA_ORDER_STATE_CANCELLED:
      if (symbol->resend_market)
        {
          HogaExitReason reason = symbol->sell_reason;
          g_autofree char *reason_id = g_strdup (symbol->sell_reason_id);
          HogaOrderOrigin origin = symbol->sell_origin;

          engine_log (self, G_LOG_LEVEL_INFO, symbol->code,
                      _("Unfilled sell cancelled; selling at market"));
          sell_settled (self, symbol);
          submit_sell (self, symbol->code, reason, reason_id, origin, TRUE);
        }
      else
        {
          engine_log (self, G_LOG_LEVEL_INFO, symbol->code, _("Sell cancelled"));
          sell_settled (self, symbol);
        }
      break;

    case HOGA_ORDER_STATE_FILLED:
      sell_settled (self, symbol);
      refresh_deposit (self);
      break;

    case HOGA_ORDER_STATE_UNKNOWN:
      engine_log (self, G_LOG_LEVEL_WARNING, symbol->code,
                  _("Sell outcome unknown; reconciling with the broker "
                    "before anything is sent again"));
      break;

    case HOGA_ORDER_STATE_PENDING:
    case HOGA_ORDER_STATE_SENT:
    case HOGA_ORDER_STATE_ACCEPTED:
    case HOGA_ORDER_STATE_PARTIAL:
    default:
      break;
    }
}

typedef struct {
  HogaEngine *engine;
  char        code[HOGA_CODE_SIZE];
} OrderData;

static OrderData *
order_data_new (HogaEngine *self,
                const char *code)
{
  OrderData *data = g_new0 (OrderData, 1);

  data->engine = g_object_ref (self);
  g_strlcpy (data->code, code, sizeof data->code);
  return data;
}

static void
order_data_free (OrderData *data)
{
  g_object_unref (data->engine);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrderData, order_data_free)

static void
sell_submitted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OrderData) data = user_data;
  HogaEngine *self = data->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = hoga_order_book_submit_finish (HOGA_ORDER_BOOK (source), result,
                                                              &error);
  Symbol *symbol = lookup_symbol (self, data->code);

  if (order == NULL)
    {
      report_problem (self, error);
      hold_sells (self, symbol);
      sell_settled (self, symbol);
      return;
    }

  g_set_object (&symbol->sell_order, order);
  follow_sell (self, symbol, order);
}

/* One sell at a time per symbol: the caller's exit is dropped while one is in flight or
 * while a rejected one's retry cooldown runs. */
static void
submit_sell (HogaEngine      *self,
             const char      *code,
             HogaExitReason   reason,
             const char      *reason_id,
             HogaOrderOrigin  origin,
             gboolean         force_market)
{
  Symbol *symbol = lookup_symbol (self, code);
  HogaPosition *position = hoga_tracker_lookup (self->tracker, code);
  HogaHolding *holding = hoga_account_lookup (self->account, code);
  HogaOrderRequest request = {
    .side = HOGA_SIDE_SELL,
    .type = self->settings->sell_type,
    .venue = self->settings->venue,
  };
  HogaRiskState state;
  HogaRiskOrder risk_order;
  HogaRiskVerdict verdict;
  gint64 last;
  char qty_text[32];
  char price_text[32];

  /* The retry cooldown holds back the rules, not the user or the kill switch. */
  if (symbol->sell_in_flight
      || (origin == HOGA_ORDER_ORIGIN_AUTOMATED
          && g_get_monotonic_time () < symbol->sell_retry_after_us))
    return;

  if (position != NULL)
    request.qty = hoga_position_get_qty (position);
  else if (holding != NULL)
    request.qty = hoga_holding_get_sellable_qty (holding);
  if (request.qty <= 0)
    return;

  g_strlcpy (request.code, code, sizeof request.code);
  last = fresh_price (self, code);
  /* A limit needs a fresh price to be placed at; without one, getting out matters more. */
  if (force_market || origin == HOGA_ORDER_ORIGIN_FLATTEN || last <= 0)
    request.type = HOGA_ORDER_TYPE_MARKET;
  if (request.type == HOGA_ORDER_TYPE_LIMIT)
    {
      request.price = hoga_krx_add_ticks (last, self->settings->sell_limit_offset_ticks);
      if (base_price (self, code) > 0)
        request.price = hoga_krx_clamp_to_limits (request.price, base_price (self, code));
    }

  fill_risk_state (self, &state);
  risk_order = (HogaRiskOrder) {
    .side = HOGA_SIDE_SELL,
    .type = request.type,
    .origin = origin,
    .qty = request.qty,
    .price = request.price,
    .last_price = last,
    .base_price = base_price (self, code),
  };
  verdict = hoga_risk_check_order (&self->limits, &state, &risk_order);
  if (verdict != HOGA_RISK_OK)
    {
      /* Held back like a rejection, so a refused exit does not log on every tick. */
      hold_sells (self, symbol);
      engine_log (self, G_LOG_LEVEL_WARNING, code, _("Sell refused by the risk guard: %s"),
                  hoga_risk_verdict_to_string (verdict));
      return;
    }

  symbol->sell_in_flight = TRUE;
  symbol->resend_market = FALSE;
  symbol->sell_reason = reason;
  symbol->sell_origin = origin;
  g_free (symbol->sell_reason_id);
  symbol->sell_reason_id = g_strdup (reason_id);
  if (position != NULL)
    {
      hoga_position_set_state (position, HOGA_POSITION_STATE_SELLING);
      if (reason != HOGA_EXIT_REASON_NONE)
        hoga_position_set_exit_reason (position, reason);
      save_position (self, position);
    }

  format_number (request.qty, qty_text);
  format_number (request.price, price_text);
  if (request.type == HOGA_ORDER_TYPE_MARKET)
    engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Sell placed: %s shares at market (%s)"),
                qty_text, reason_id);
  else
    engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Sell placed: %s shares at %s KRW (%s)"),
                qty_text, price_text, reason_id);

  hoga_order_book_submit_async (self->orders, &request, reason_id, self->cancellable,
                                sell_submitted_cb, order_data_new (self, code));
}

/* ---- exits -------------------------------------------------------------------------- */

/* Evaluates the exit rules for @code at @last (0 when no fresh price: only the rules that
 * need no price can fire) and time @hhmmss, and carries out what they decide. */
static void
evaluate_exit (HogaEngine *self,
               const char *code,
               gint64      last,
               guint32     hhmmss)
{
  Symbol *symbol = g_hash_table_lookup (self->symbols, code);
  HogaPosition *position = hoga_tracker_lookup (self->tracker, code);
  HogaExitDecision decision;
  g_autofree char *description = NULL;
  gboolean automated;

  if (symbol == NULL || position == NULL || !symbol->exit.entry_filled
      || hoga_position_get_qty (position) <= 0)
    return;

  hoga_exit_rules_evaluate (&self->exit, &symbol->exit, last, symbol->sell_condition,
                            hhmmss, &decision);
  if (decision.state_changed)
    {
      symbol->exit = decision.next;
      hoga_position_apply_exit_state (position, &symbol->exit);
      save_position (self, position);
    }

  if (decision.reason == HOGA_EXIT_REASON_NONE || !self->running)
    {
      symbol->held_exit = HOGA_EXIT_REASON_NONE;
      return;
    }
  if (symbol->sell_in_flight || g_get_monotonic_time () < symbol->sell_retry_after_us)
    return;

  /* Said once per reason, not on every tick: selling is the user's call now. */
  automated = self->auto_sell && self->kill_tier < HOGA_KILL_STOP_ALL;
  if (!automated && decision.reason == symbol->held_exit)
    return;

  description = hoga_exit_decision_describe (&decision);
  if (!automated)
    {
      if (!self->auto_sell)
        engine_log (self, G_LOG_LEVEL_WARNING, code,
                    _("Exit not taken, automatic selling is off: %s"), description);
      else
        engine_log (self, G_LOG_LEVEL_WARNING, code,
                    _("Exit not taken, the kill switch stopped automation: %s"), description);
      symbol->held_exit = decision.reason;
      return;
    }

  engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Exit: %s"), description);
  submit_sell (self, code, decision.reason, hoga_exit_reason_to_string (decision.reason),
               HOGA_ORDER_ORIGIN_AUTOMATED, FALSE);
}

/* ---- buys --------------------------------------------------------------------------- */

static void
buy_settled (HogaEngine *self,
             Symbol     *symbol,
             HogaOrder  *order)
{
  HogaPosition *position = hoga_tracker_lookup (self->tracker, symbol->code);

  symbol->buy_pending = FALSE;
  g_clear_object (&symbol->buy_order);

  if ((order == NULL || hoga_order_get_filled_qty (order) == 0) && position != NULL
      && hoga_position_get_state (position) == HOGA_POSITION_STATE_WAITING_FILL)
    {
      /* Nothing was bought: the symbol cools down like one sold, and is not "bought
       * today" (a restart, whose journal knows only buys that filled, agrees). */
      symbol->cooldown_start_us = g_get_monotonic_time ();
      symbol->bought_today = FALSE;
      hoga_tracker_remove (self->tracker, symbol->code);
      hoga_journal_remove_position_async (self->journal, symbol->code, journal_write_cb,
                                          g_object_ref (self));
      if (hoga_account_lookup (self->account, symbol->code) == NULL)
        unsubscribe (self, symbol->code);
      sync_holding (self, symbol->code);
    }
}

static void
follow_buy (HogaEngine *self,
            Symbol     *symbol,
            HogaOrder  *order)
{
  const char *error = hoga_order_get_error (order);
  char filled_text[32];
  char qty_text[32];

  switch (hoga_order_get_state (order))
    {
    case HOGA_ORDER_STATE_REJECTED:
      engine_log (self, G_LOG_LEVEL_WARNING, symbol->code, _("Buy rejected: %s"),
                  *error != '\0' ? error : _("no reason given"));
      buy_settled (self, symbol, order);
      refresh_deposit (self);
      break;

    case HOGA_ORDER_STATE_CANCELLED:
      format_number (hoga_order_get_filled_qty (order), filled_text);
      format_number (hoga_order_get_qty (order), qty_text);
      engine_log (self, G_LOG_LEVEL_INFO, symbol->code,
                  _("Buy cancelled after %s of %s shares"), filled_text, qty_text);
      buy_settled (self, symbol, order);
      refresh_deposit (self);
      break;

    case HOGA_ORDER_STATE_FILLED:
      buy_settled (self, symbol, order);
      refresh_deposit (self);
      break;

    case HOGA_ORDER_STATE_UNKNOWN:
      engine_log (self, G_LOG_LEVEL_WARNING, symbol->code,
                  _("Buy outcome unknown; reconciling with the broker "
                    "before anything is sent again"));
      break;

    case HOGA_ORDER_STATE_PENDING:
    case HOGA_ORDER_STATE_SENT:
    case HOGA_ORDER_STATE_ACCEPTED:
    case HOGA_ORDER_STATE_PARTIAL:
    default:
      break;
    }
}

static void
buy_submitted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OrderData) data = user_data;
  HogaEngine *self = data->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = hoga_order_book_submit_finish (HOGA_ORDER_BOOK (source), result,
                                                              &error);
  Symbol *symbol = lookup_symbol (self, data->code);

  if (order == NULL)
    {
      report_problem (self, error);
      buy_settled (self, symbol, NULL);
      return;
    }

  g_set_object (&symbol->buy_order, order);
  follow_buy (self, symbol, order);
}

static void
fill_entry_context (HogaEngine       *self,
                    Symbol           *symbol,
                    gboolean          on_buy_condition,
                    gboolean          inserted,
                    gboolean          from_snapshot,
                    gint64            current_price,
                    HogaEntryContext *context)
{
  HogaHolding *holding = hoga_account_lookup (self->account, symbol->code);
  HogaRiskState state;
  gint64 capacity;

  fill_risk_state (self, &state);
  capacity = symbol->subscribed ? 1 : MAX_REGISTRATIONS - (gint64) self->n_subscribed;

  *context = (HogaEntryContext) {
    .on_buy_condition = on_buy_condition,
    .inserted = inserted,
    .from_snapshot = from_snapshot,
    .now_hhmmss = now_hhmmss (self),
    .tracked_count = g_list_model_get_n_items (G_LIST_MODEL (self->tracker)),
    .held = holding != NULL && hoga_holding_get_qty (holding) > 0,
    .tracked = hoga_tracker_lookup (self->tracker, symbol->code) != NULL,
    .buy_pending = symbol->buy_pending || symbol->price_lookup,
    .bought_today = symbol->bought_today,
    .cooldown_elapsed_s = symbol->cooldown_start_us > 0
                          ? (g_get_monotonic_time () - symbol->cooldown_start_us) / G_USEC_PER_SEC
                          : -1,
    .registration_capacity = (guint) MAX (capacity, 0),
    .current_price = current_price,
    .base_price = base_price (self, symbol->code),
    .risk_approved = hoga_risk_may_buy (&self->limits, &state) == HOGA_RISK_OK,
  };
}

static void
place_buy (HogaEngine              *self,
           Symbol                  *symbol,
           const HogaEntryDecision *decision)
{
  HogaOrderRequest request = {
    .side = HOGA_SIDE_BUY,
    .type = decision->order_type,
    .venue = self->settings->venue,
    .qty = decision->qty,
    .price = decision->price,
  };
  HogaRiskOrder risk_order = {
    .side = HOGA_SIDE_BUY,
    .type = decision->order_type,
    .origin = HOGA_ORDER_ORIGIN_AUTOMATED,
    .qty = decision->qty,
    .price = decision->price,
    .last_price = decision->unit_price,
    .base_price = base_price (self, symbol->code),
  };
  g_autoptr(HogaPosition) position = NULL;
  HogaQuote *quote;
  HogaRiskState state;
  HogaRiskVerdict verdict;
  char qty_text[32];
  char price_text[32];

  fill_risk_state (self, &state);
  verdict = hoga_risk_check_order (&self->limits, &state, &risk_order);
  if (verdict != HOGA_RISK_OK)
    {
      engine_log (self, G_LOG_LEVEL_INFO, symbol->code,
                  _("Buy skipped: risk guard refused (%s)"), hoga_risk_verdict_to_string (verdict));
      return;
    }

  /* Marked before the request leaves, so a repeated I cannot buy twice. */
  symbol->buy_pending = TRUE;
  symbol->bought_today = TRUE;
  self->daily.buy_count++;
  save_daily (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUYS_TODAY]);

  quote = hoga_quote_book_lookup (self->quotes, symbol->code);
  subscribe (self, symbol->code, NULL);
  position = hoga_position_new (symbol->code, quote != NULL ? hoga_quote_get_name (quote) : "",
                                engine_now_us (self));
  hoga_position_set_state (position, HOGA_POSITION_STATE_WAITING_FILL);
  symbol->exit = (HogaExitState) { 0 };
  symbol->sell_condition = FALSE;
  hoga_tracker_add (self->tracker, position);
  /* Journaled before the intent (the journal writes in call order): a crash after the
   * buy's fill is written and before the position is still finds the position at the next
   * start, which settles it with the broker (settle_positions_with_broker()). */
  save_position (self, position);

  g_strlcpy (request.code, symbol->code, sizeof request.code);
  format_number (request.qty, qty_text);
  format_number (decision->unit_price, price_text);
  if (request.type == HOGA_ORDER_TYPE_MARKET)
    engine_log (self, G_LOG_LEVEL_MESSAGE, symbol->code,
                _("Buy placed: %s shares at market (sized at %s KRW)"), qty_text, price_text);
  else
    engine_log (self, G_LOG_LEVEL_MESSAGE, symbol->code,
                _("Buy placed: %s shares at %s KRW"), qty_text, price_text);

  hoga_order_book_submit_async (self->orders, &request, "buy-condition", self->cancellable,
                                buy_submitted_cb, order_data_new (self, symbol->code));
}

/* DESIGN.md §1.5: no entry while the tick feed is stale. The buy is held, not dropped:
 * release_held_buys() offers it again once ticks are fresh, if the symbol is still in the
 * buy condition then. */
static void
hold_buy (HogaEngine *self,
          Symbol     *symbol,
          gboolean    from_snapshot,
          gint64      silence_us)
{
  char silence_text[32];
  char limit_text[32];

  /* A realtime entry stays one when a snapshot offers the symbol again. */
  symbol->buy_held_snapshot = (symbol->buy_held ? symbol->buy_held_snapshot : TRUE)
                              && from_snapshot;
  if (!symbol->buy_held)
    {
      symbol->buy_held = TRUE;
      self->n_buys_held++;
    }

  format_number (silence_us / 1000, silence_text);
  format_number (self->settings->staleness_limit_ms, limit_text);
  engine_log (self, G_LOG_LEVEL_WARNING, symbol->code,
              _("Buy held: no tick for %s ms, over the staleness limit of %s ms; "
                "it goes ahead when ticks are fresh again"), silence_text, limit_text);
}

/* Runs the entry rules; @current_price 0 asks for ka10001 when the price is all that is
 * missing. */
static void
consider_buy (HogaEngine *self,
              const char *code,
              gboolean    from_snapshot,
              gint64      current_price);

static void
stock_info_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OrderData) data = user_data;
  HogaEngine *self = data->engine;
  g_autoptr(GError) error = NULL;
  g_autofree HogaStockInfo *info = hoga_broker_stock_info_finish (HOGA_BROKER (source), result,
                                                                  &error);
  Symbol *symbol = lookup_symbol (self, data->code);
  HogaQuote *quote;

  symbol->price_lookup = FALSE;
  if (info == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        engine_log (self, G_LOG_LEVEL_WARNING, data->code,
                    _("Buy skipped: no price (%s)"), error->message);
      return;
    }

  quote = hoga_quote_book_add (self->quotes, data->code, info->name);
  hoga_quote_apply_stock_info (quote, info);
  consider_buy (self, data->code, FALSE, info->price);
}

static void
consider_buy (HogaEngine *self,
              const char *code,
              gboolean    from_snapshot,
              gint64      current_price)
{
  Symbol *symbol = lookup_symbol (self, code);
  HogaEntryContext context;
  HogaEntryDecision decision;
  gboolean buy;

  if (current_price <= 0)
    current_price = fresh_price (self, code);

  self->entry.auto_buy = self->auto_buy;
  fill_entry_context (self, symbol, TRUE, TRUE, from_snapshot, current_price, &context);
  buy = hoga_entry_rules_evaluate (&self->entry, &context, &decision);

  /* Only a buy that would go ahead waits for the feed: the other skips say why as usual. A
   * ka10001 price would be fresh, but the feed that must protect the position is not. */
  if (buy || (decision.reason == HOGA_ENTRY_REASON_NO_PRICE && !symbol->price_lookup))
    {
      gint64 silence_us = feed_silence_us (self, g_get_monotonic_time ());

      if (feed_is_stale (self, silence_us))
        {
          hold_buy (self, symbol, from_snapshot, silence_us);
          return;
        }
    }

  if (buy)
    {
      place_buy (self, symbol, &decision);
      return;
    }

  if (decision.reason == HOGA_ENTRY_REASON_NO_PRICE && !symbol->price_lookup)
    {
      symbol->price_lookup = TRUE;
      hoga_broker_stock_info_async (self->broker, code, self->cancellable, stock_info_cb,
                                    order_data_new (self, code));
      return;
    }

  if (decision.reason == HOGA_ENTRY_REASON_RISK_REJECTED)
    {
      HogaRiskState state;

      fill_risk_state (self, &state);
      engine_log (self, G_LOG_LEVEL_INFO, code, _("Buy skipped: %s (%s)"),
                  hoga_entry_reason_to_string (decision.reason),
                  hoga_risk_verdict_to_string (hoga_risk_may_buy (&self->limits, &state)));
      return;
    }
  engine_log (self, G_LOG_LEVEL_INFO, code, _("Buy skipped: %s"),
              hoga_entry_reason_to_string (decision.reason));
}

/* Offers the buys hold_buy() held to the entry rules again, once the feed is fresh. */
static void
release_held_buys (HogaEngine *self)
{
  g_autoptr(GPtrArray) held = NULL;
  HogaCondition *condition;
  GHashTableIter iter;
  Symbol *symbol;

  if (self->n_buys_held == 0
      || feed_is_stale (self, feed_silence_us (self, g_get_monotonic_time ())))
    return;

  held = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->symbols);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &symbol))
    {
      if (symbol->buy_held)
        g_ptr_array_add (held, symbol);
    }
  self->n_buys_held = 0;

  condition = self->buy_seq != NULL
              ? hoga_condition_registry_lookup (self->conditions, self->buy_seq) : NULL;
  for (guint i = 0; i < held->len; i++)
    {
      symbol = g_ptr_array_index (held, i);
      symbol->buy_held = FALSE;
      if (condition == NULL || !hoga_condition_has_member (condition, symbol->code))
        {
          engine_log (self, G_LOG_LEVEL_INFO, symbol->code,
                      _("Held buy dropped: no longer in the buy condition"));
          continue;
        }
      engine_log (self, G_LOG_LEVEL_INFO, symbol->code,
                  _("Ticks are fresh again; considering the held buy"));
      consider_buy (self, symbol->code, symbol->buy_held_snapshot, 0);
    }
}

/* Offers every current member of @seq to the entry rules as a snapshot member. */
static void
buy_members (HogaEngine *self,
             const char *seq)
{
  HogaCondition *condition = hoga_condition_registry_lookup (self->conditions, seq);
  g_auto(GStrv) members = condition != NULL ? hoga_condition_dup_members (condition) : NULL;

  for (guint i = 0; members != NULL && members[i] != NULL; i++)
    consider_buy (self, members[i], TRUE, 0);
}

/* ---- fills -------------------------------------------------------------------------- */

static void
on_buy_fill (HogaEngine *self,
             HogaOrder  *order,
             gint64      qty,
             gint64      price)
{
  const char *code = hoga_order_get_code (order);
  Symbol *symbol = lookup_symbol (self, code);
  HogaPosition *position = hoga_tracker_lookup (self->tracker, code);
  gint64 old_qty;
  gint64 new_qty;
  char qty_text[32];
  char price_text[32];

  if (position == NULL)
    {
      g_autoptr(HogaPosition) created = hoga_position_new (code, hoga_order_get_name (order),
                                                           engine_now_us (self));

      symbol->exit = (HogaExitState) { 0 };
      hoga_tracker_add (self->tracker, created);
      position = created;
      subscribe (self, code, hoga_order_get_name (order));
    }

  old_qty = hoga_position_get_qty (position);
  new_qty = old_qty + qty;
  symbol->exit.avg_cost = (hoga_position_get_avg_cost (position) * old_qty + price * qty
                           + new_qty / 2) / new_qty;
  symbol->exit.entry_filled = TRUE;
  /* The fill seeds the peak: its 0B tick may come before or after the 00 event. */
  symbol->exit.peak = MAX (symbol->exit.peak, price);
  hoga_position_set_fill (position, symbol->exit.avg_cost, new_qty);
  hoga_position_apply_exit_state (position, &symbol->exit);
  if (hoga_position_get_price (position) == 0)
    hoga_position_set_price (position, price);
  if (hoga_position_get_state (position) == HOGA_POSITION_STATE_WAITING_FILL)
    hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
  if (*hoga_order_get_name (order) != '\0')
    hoga_position_set_name (position, hoga_order_get_name (order));
  save_position (self, position);
  sync_holding (self, code);

  format_number (qty, qty_text);
  format_number (price, price_text);
  engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Bought %s shares at %s KRW"),
              qty_text, price_text);

  /* A buy that filled after the flatten is sold too. */
  if (self->kill_tier == HOGA_KILL_FLATTEN)
    submit_sell (self, code, HOGA_EXIT_REASON_NONE, "kill-switch", HOGA_ORDER_ORIGIN_FLATTEN, TRUE);
}

static void
on_sell_fill (HogaEngine *self,
              HogaOrder  *order,
              gint64      qty,
              gint64      price)
{
  const char *code = hoga_order_get_code (order);
  Symbol *symbol = lookup_symbol (self, code);
  HogaPosition *position = hoga_tracker_lookup (self->tracker, code);
  gint64 left;
  char qty_text[32];
  char price_text[32];

  format_number (qty, qty_text);
  format_number (price, price_text);
  engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Sold %s shares at %s KRW"),
              qty_text, price_text);
  if (position == NULL)
    return;

  /* Gross here: the order's fee and tax come apart, as ::costs (see realized_net()). */
  self->daily.realized_pnl += (price - hoga_position_get_avg_cost (position)) * qty;
  save_daily (self);
  publish_realized (self);

  left = MAX (hoga_position_get_qty (position) - qty, 0);
  hoga_position_set_fill (position, hoga_position_get_avg_cost (position), left);
  if (left > 0)
    {
      save_position (self, position);
      return;
    }

  hoga_position_set_state (position, HOGA_POSITION_STATE_CLOSED);
  if (symbol->sell_reason != HOGA_EXIT_REASON_NONE)
    hoga_position_set_exit_reason (position, symbol->sell_reason);
  engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Position closed (%s)"),
              symbol->sell_reason_id != NULL ? symbol->sell_reason_id : "");
  hoga_journal_remove_position_async (self->journal, code, journal_write_cb,
                                      g_object_ref (self));
  hoga_tracker_remove (self->tracker, code);
  symbol->exit = (HogaExitState) { 0 };
  symbol->sell_condition = FALSE;
  symbol->cooldown_start_us = g_get_monotonic_time ();
  sync_holding (self, code);
  unsubscribe (self, code);
}

static void
fill_cb (HogaOrderBook *orders,
         HogaOrder     *order,
         gint64         qty,
         gint64         price,
         HogaEngine    *self)
{
  if (hoga_order_get_side (order) == HOGA_SIDE_BUY)
    on_buy_fill (self, order, qty, price);
  else
    on_sell_fill (self, order, qty, price);
  check_daily_loss (self);
}

/* The broker charged more commission or tax on @order: @amount is new, never seen before. */
static void
costs_cb (HogaOrderBook *orders,
          HogaOrder     *order,
          gint64         amount,
          HogaEngine    *self)
{
  self->costs_today += amount;
  publish_realized (self);
  check_daily_loss (self);
}

static void reconcile (HogaEngine *self);

/* The broker's lists are read and applied: a refused cancel's original that still works
 * may be cancelled again. */
static void
allow_refused_cancels_again (HogaEngine *self)
{
  GHashTableIter iter;
  HogaOrder *order;

  g_hash_table_iter_init (&iter, self->cancel_refused);
  while (g_hash_table_iter_next (&iter, (gpointer *) &order, NULL))
    g_hash_table_remove (self->cancelling, order);
  g_hash_table_remove_all (self->cancel_refused);
}

static void
order_updated_cb (HogaOrderBook *orders,
                  HogaOrder     *order,
                  HogaEngine    *self)
{
  Symbol *symbol = g_hash_table_lookup (self->symbols, hoga_order_get_code (order));

  if (hoga_order_get_kind (order) == HOGA_ORDER_KIND_CANCEL)
    {
      /* A cancel that did not go through may be asked for again, but only once the
       * broker's lists say the original still works: a refusal usually means it filled
       * or ended meanwhile and the 00 events saying so were lost (a dead connection).
       * Asking again at once would send a refused cancel every second for as long as
       * those events are missing. */
      if (hoga_order_get_state (order) == HOGA_ORDER_STATE_REJECTED)
        {
          HogaOrder *original = hoga_order_book_lookup (orders, hoga_order_get_orig_ord_no (order));

          if (original != NULL && g_hash_table_contains (self->cancelling, original))
            {
              g_hash_table_add (self->cancel_refused, g_object_ref (original));
              reconcile (self);
            }
        }
      return;
    }

  if (hoga_order_state_is_terminal (hoga_order_get_state (order)))
    {
      g_hash_table_remove (self->cancel_refused, order);
      g_hash_table_remove (self->cancelling, order);
    }

  if (symbol == NULL)
    return;
  if (order == symbol->sell_order)
    follow_sell (self, symbol, order);
  else if (order == symbol->buy_order)
    follow_buy (self, symbol, order);
}

/* ---- broker events ------------------------------------------------------------------ */

static void
tick_cb (HogaBroker *broker,
         HogaTick   *tick,
         HogaEngine *self)
{
  gint64 age_us = g_get_monotonic_time () - tick->received_us;

  hoga_quote_book_apply_tick (self->quotes, tick);
  hoga_account_apply_tick (self->account, tick);
  if (hoga_tracker_apply_tick (self->tracker, tick) == NULL)
    return;

  /* A tick that waited too long in a queue never decides (DESIGN.md §1.5). */
  if (age_us > (gint64) self->settings->staleness_limit_ms * 1000)
    {
      char age_text[32];

      format_number (age_us / 1000, age_text);
      engine_log (self, G_LOG_LEVEL_WARNING, tick->code, _("Stale tick ignored (%s ms old)"),
                  age_text);
      return;
    }

  evaluate_exit (self, tick->code, tick->price, tick_hhmmss (self));
  check_daily_loss (self);
}

static void
condition_event_cb (HogaBroker         *broker,
                    HogaConditionEvent *event,
                    HogaEngine         *self)
{
  hoga_condition_registry_apply_event (self->conditions, event);
  if (!self->running || !event->inserted)
    return;

  if (self->buy_seq != NULL && strcmp (event->seq, self->buy_seq) == 0)
    {
      engine_log (self, G_LOG_LEVEL_INFO, event->code, _("Entered the buy condition"));
      consider_buy (self, event->code, event->from_snapshot, 0);
    }

  if (self->sell_seq != NULL && strcmp (event->seq, self->sell_seq) == 0
      && hoga_tracker_lookup (self->tracker, event->code) != NULL)
    {
      Symbol *symbol = lookup_symbol (self, event->code);

      engine_log (self, G_LOG_LEVEL_INFO, event->code, _("Entered the sell condition"));
      symbol->sell_condition = TRUE;
      evaluate_exit (self, event->code, fresh_price (self, event->code), now_hhmmss (self));
    }
}

static void
balance_event_cb (HogaBroker       *broker,
                  HogaBalanceEvent *event,
                  HogaEngine       *self)
{
  hoga_account_apply_balance_event (self->account, event);
  sync_holding (self, event->code);
}

static void
broker_problem_cb (HogaBroker *broker,
                   GError     *error,
                   HogaEngine *self)
{
  report_problem (self, error);
}

static void
reconcile_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HogaEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  int n_unknown = hoga_order_book_reconcile_finish (HOGA_ORDER_BOOK (source), result, &error);

  self->reconciling = FALSE;
  if (n_unknown < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        engine_log (self, G_LOG_LEVEL_WARNING, NULL, _("Could not reconcile orders: %s"),
                    error->message);
      self->reconcile_again = FALSE;
      return;
    }
  /* A cancel refused while these lists were on their way: they may predate what it
   * refused. */
  if (self->reconcile_again)
    {
      self->reconcile_again = FALSE;
      reconcile (self);
      return;
    }
  allow_refused_cancels_again (self);
  if (n_unknown > 0)
    engine_log (self, G_LOG_LEVEL_WARNING, NULL,
                ngettext ("%d order still has an unknown outcome",
                          "%d orders still have an unknown outcome", n_unknown),
                n_unknown);
}

static void
reconcile (HogaEngine *self)
{
  if (self->reconciling)
    {
      self->reconcile_again |= g_hash_table_size (self->cancel_refused) > 0;
      return;
    }
  self->reconciling = TRUE;
  self->last_reconcile_us = g_get_monotonic_time ();
  hoga_order_book_reconcile_async (self->orders, self->cancellable, reconcile_cb,
                                   g_object_ref (self));
}

static void
balance_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HogaEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaBalance) balance = hoga_broker_balance_finish (HOGA_BROKER (source), result,
                                                               &error);

  if (balance == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        engine_log (self, G_LOG_LEVEL_WARNING, NULL, _("Could not read the balance: %s"),
                    error->message);
      return;
    }
  hoga_account_replace_holdings (self->account, balance);
  sync_holdings (self);
}

/* After a reconnect the broker has re-armed everything; what happened meanwhile to the
 * orders and the holdings is read again (DESIGN.md §3 "Reconnect"). */
static void
rearmed_cb (HogaBroker *broker,
            HogaEngine *self)
{
  if (!self->running)
    return;
  engine_log (self, G_LOG_LEVEL_INFO, NULL, _("Reconnected; reconciling orders and holdings"));
  reconcile (self);
  hoga_broker_balance_async (self->broker, self->cancellable, balance_cb, g_object_ref (self));
  refresh_deposit (self);
}

/* ---- housekeeping ------------------------------------------------------------------- */

static void
cancel_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OrderData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) cancel = hoga_order_book_submit_finish (HOGA_ORDER_BOOK (source), result,
                                                               &error);

  if (cancel == NULL)
    report_problem (data->engine, error);
}

static gboolean
order_is_working (HogaOrder *order)
{
  HogaOrderState state = hoga_order_get_state (order);

  return hoga_order_get_kind (order) != HOGA_ORDER_KIND_CANCEL
         && (state == HOGA_ORDER_STATE_ACCEPTED || state == HOGA_ORDER_STATE_PARTIAL);
}

static void
cancel_order (HogaEngine *self,
              HogaOrder  *order,
              const char *reason)
{
  if (g_hash_table_contains (self->cancelling, order))
    return;
  g_hash_table_add (self->cancelling, g_object_ref (order));
  engine_log (self, G_LOG_LEVEL_INFO, hoga_order_get_code (order), _("Cancelling order %s (%s)"),
              hoga_order_get_ord_no (order), reason);
  hoga_order_book_cancel_async (self->orders, order, 0, reason, self->cancellable, cancel_cb,
                                order_data_new (self, hoga_order_get_code (order)));
}

static void
cancel_unfilled (HogaEngine *self)
{
  GListModel *model = G_LIST_MODEL (self->orders);
  gint64 now = engine_now_us (self);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaOrder) order = g_list_model_get_item (model, i);
      gboolean buy = hoga_order_get_side (order) == HOGA_SIDE_BUY;
      guint timeout_s = buy ? self->settings->unfilled_buy_timeout_s
                            : self->settings->unfilled_sell_timeout_s;
      Symbol *symbol;

      /* Market orders too: a remainder the market did not take (a halted or limit-locked
       * stock) must not hold the symbol's one sell forever. */
      if (!order_is_working (order)
          || now - hoga_order_get_created_at (order) < (gint64) timeout_s * G_USEC_PER_SEC)
        continue;
      /* The user's limit order rests at the user's price until the user or the kill
       * switch cancels it: the timeouts are the automation's. */
      if (hoga_order_get_order_type (order) == HOGA_ORDER_TYPE_LIMIT
          && g_strcmp0 (hoga_order_get_reason (order), "manual") == 0)
        continue;

      symbol = lookup_symbol (self, hoga_order_get_code (order));
      if (!buy && order == symbol->sell_order)
        symbol->resend_market = TRUE;
      cancel_order (self, order, "unfilled-timeout");
    }
}

/* A headless engine runs across midnight: the new day gets its own buy count, P&L and
 * start equity. The kill switch tier stays: only the user lifts it. */
static void
roll_day (HogaEngine *self)
{
  guint32 date = today (self);
  GHashTableIter iter;
  Symbol *symbol;

  if (date == self->daily.date)
    return;

  self->daily = (HogaDailyRecord) {
    .date = date,
    .start_equity = hoga_account_get_cash (self->account)
                    + hoga_account_get_total_eval (self->account),
  };
  self->costs_today = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUYS_TODAY]);
  g_hash_table_iter_init (&iter, self->symbols);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &symbol))
    symbol->bought_today = FALSE;
  hoga_account_reset_day (self->account);
  save_daily (self);
  engine_log (self, G_LOG_LEVEL_MESSAGE, NULL, _("New trading day %u"), date);
}

static gboolean
housekeeping_cb (gpointer user_data)
{
  HogaEngine *self = user_data;
  GListModel *model = G_LIST_MODEL (self->tracker);
  guint32 hhmmss = now_hhmmss (self);
  gboolean end_of_day = self->exit.end_of_day && hhmmss >= self->exit.end_of_day_hhmmss;

  roll_day (self);
  release_held_buys (self);
  cancel_unfilled (self);
  if ((hoga_order_book_get_n_unknown (self->orders) > 0
       || g_hash_table_size (self->cancel_refused) > 0)
      && g_get_monotonic_time () - self->last_reconcile_us >= RECONCILE_PERIOD_S * G_USEC_PER_SEC)
    reconcile (self);

  /* Exits that need no new tick: the sell condition and the end of day, and their
   * retries once a rejection's cooldown is over. */
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaPosition) position = g_list_model_get_item (model, i);
      const char *code = hoga_position_get_code (position);
      Symbol *symbol = g_hash_table_lookup (self->symbols, code);

      if (symbol != NULL && (symbol->sell_condition || end_of_day))
        evaluate_exit (self, code, fresh_price (self, code), hhmmss);
    }

  return G_SOURCE_CONTINUE;
}

/* ---- start ---------------------------------------------------------------------------- */

/* The wait for the broker's first login. */
typedef struct {
  guint  online_timeout_id;
  gulong state_handler;
} StartData;

static void start_step_online   (GTask *task);
static void start_step_account  (GTask *task);

static void
restore (HogaEngine                *self,
         const HogaJournalSnapshot *snapshot)
{
  GListModel *orders = G_LIST_MODEL (self->orders);

  hoga_order_book_load (self->orders, snapshot);

  for (guint i = 0; i < snapshot->positions->len; i++)
    {
      const HogaPositionRecord *record = &g_array_index (snapshot->positions,
                                                         HogaPositionRecord, i);
      g_autoptr(HogaPosition) position = hoga_position_new (record->code, record->name,
                                                            record->entered_at);
      Symbol *symbol = lookup_symbol (self, record->code);

      symbol->exit = record->exit;
      hoga_position_set_fill (position, record->exit.avg_cost, record->qty);
      hoga_position_apply_exit_state (position, &record->exit);
      hoga_position_set_state (position, position_state_from_nick (record->state));
      hoga_position_set_exit_reason (position, exit_reason_from_string (record->exit_reason));
      hoga_position_set_external (position, record->external);
      hoga_tracker_add (self->tracker, position);
      subscribe (self, record->code, record->name);
    }

  /* With re-entry off, a symbol bought earlier today stays bought after a restart. */
  for (guint i = 0; snapshot->bought_today != NULL && i < snapshot->bought_today->len; i++)
    lookup_symbol (self, g_ptr_array_index (snapshot->bought_today, i))->bought_today = TRUE;

  /* Orders still working from before the restart keep their symbol busy. */
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(HogaOrder) order = g_list_model_get_item (orders, i);
      Symbol *symbol;

      if (hoga_order_state_is_terminal (hoga_order_get_state (order))
          || hoga_order_get_kind (order) == HOGA_ORDER_KIND_CANCEL)
        continue;
      symbol = lookup_symbol (self, hoga_order_get_code (order));
      if (hoga_order_get_side (order) == HOGA_SIDE_BUY)
        {
          symbol->buy_pending = TRUE;
          symbol->bought_today = TRUE;
          g_set_object (&symbol->buy_order, order);
        }
      else
        {
          HogaPosition *position = hoga_tracker_lookup (self->tracker, symbol->code);

          symbol->sell_in_flight = TRUE;
          symbol->sell_origin = HOGA_ORDER_ORIGIN_AUTOMATED;
          symbol->sell_reason = exit_reason_from_string (hoga_order_get_reason (order));
          symbol->sell_reason_id = g_strdup (hoga_order_get_reason (order));
          g_set_object (&symbol->sell_order, order);
          if (position != NULL)
            hoga_position_set_state (position, HOGA_POSITION_STATE_SELLING);
        }
    }

  /* A sell that ended while the program was not running leaves nothing to wait for. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tracker)); i++)
    {
      g_autoptr(HogaPosition) position = g_list_model_get_item (G_LIST_MODEL (self->tracker), i);
      Symbol *symbol = lookup_symbol (self, hoga_position_get_code (position));

      if (hoga_position_get_state (position) == HOGA_POSITION_STATE_SELLING
          && !symbol->sell_in_flight)
        hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
    }

  self->daily = (HogaDailyRecord) { .date = today (self) };
  if (snapshot->has_daily && snapshot->daily.date == self->daily.date)
    {
      self->daily = snapshot->daily;
      if (self->daily.kill_tier != self->kill_tier)
        {
          self->kill_tier = self->daily.kill_tier;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KILL_TIER]);
        }
    }
  self->costs_today = snapshot->costs_today;
  publish_realized (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUYS_TODAY]);
}

static void
journal_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaEngine *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(HogaJournalSnapshot) snapshot = hoga_journal_load_finish (HOGA_JOURNAL (source),
                                                                      result, &error);

  if (snapshot == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  restore (self, snapshot);
  engine_log (self, G_LOG_LEVEL_INFO, NULL,
              _("Journal loaded: tracked positions %u, open orders %u"),
              snapshot->positions->len, snapshot->orders->len);

  hoga_broker_start (self->broker);
  start_step_online (g_steal_pointer (&task));
}

static void
state_changed_cb (HogaBroker *broker,
                  GParamSpec *pspec,
                  GTask      *task)
{
  StartData *data = g_task_get_task_data (task);

  if (hoga_broker_get_state (broker) != HOGA_CONNECTION_ONLINE)
    return;
  g_clear_signal_handler (&data->state_handler, broker);
  g_clear_handle_id (&data->online_timeout_id, g_source_remove);
  /* The reference the wait held goes on with the next step. */
  start_step_online (task);
}

static gboolean
online_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  StartData *data = g_task_get_task_data (task);
  HogaEngine *self = g_task_get_source_object (task);

  data->online_timeout_id = 0;
  g_clear_signal_handler (&data->state_handler, self->broker);
  hoga_broker_stop (self->broker);
  g_task_return_new_error (task, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_NOT_CONNECTED,
                           _("Could not connect to the broker within %d seconds"),
                           ONLINE_TIMEOUT_S);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

/* Resolves a configured condition: by name, then by seq. NULL when none is configured or
 * none matches (then ::problem says so). */
static char *
resolve_condition (HogaEngine *self,
                   const char *name,
                   const char *seq,
                   gboolean    buy)
{
  HogaCondition *condition = NULL;

  if (*name == '\0' && *seq == '\0')
    return NULL;
  if (*name != '\0')
    condition = hoga_condition_registry_lookup_by_name (self->conditions, name);
  if (condition == NULL && *seq != '\0')
    condition = hoga_condition_registry_lookup (self->conditions, seq);

  if (condition == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new (HOGA_CONDITION_REGISTRY_ERROR, HOGA_CONDITION_REGISTRY_ERROR_UNKNOWN,
                           /* Translators: a condition search's name, then its number */
                           buy ? _("Buy condition “%s” (number %s) is not among "
                                   "the saved conditions")
                               : _("Sell condition “%s” (number %s) is not among "
                                   "the saved conditions"),
                           name, *seq != '\0' ? seq : "-");

      report_problem (self, error);
      return NULL;
    }

  engine_log (self, G_LOG_LEVEL_INFO, NULL,
              buy ? _("Buy condition: “%s” (number %s)")
                  : _("Sell condition: “%s” (number %s)"),
              hoga_condition_get_name (condition), hoga_condition_get_seq (condition));
  return g_strdup (hoga_condition_get_seq (condition));
}

typedef struct {
  HogaEngine *engine;
  char       *seq;
  gboolean    buy;
  GTask      *task;    /* the start task, or NULL when settings re-arm */
} ArmData;

static void
arm_data_free (ArmData *data)
{
  g_object_unref (data->engine);
  g_free (data->seq);
  g_clear_object (&data->task);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArmData, arm_data_free)

static void arm_next (HogaEngine *self,
                      GTask      *task,
                      gboolean    after_buy);
static void rearm_conditions (HogaEngine *self);

static void
condition_started_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(ArmData) data = user_data;
  HogaEngine *self = data->engine;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = hoga_broker_start_condition_finish (HOGA_BROKER (source), result,
                                                            &error);
  g_autoptr(GArray) events = NULL;

  self->arms_in_flight--;
  if (codes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          hoga_condition_registry_set_active (self->conditions, data->seq, FALSE, NULL);
          report_problem (self, error);
        }
    }
  else if ((events = hoga_condition_registry_set_snapshot (self->conditions, data->seq,
                                                           (const char * const *) codes,
                                                           &error)) == NULL)
    report_problem (self, error);
  else
    {
      engine_log (self, G_LOG_LEVEL_INFO, NULL,
                  _("Condition %s armed; members now: %u"), data->seq, g_strv_length (codes));
      /* Snapshot members are recorded; the entry rules say whether they may be bought. */
      if (data->buy && self->running && self->auto_buy && self->settings->buy_snapshot_members)
        buy_members (self, data->seq);
    }

  if (data->buy)
    arm_next (self, data->task, TRUE);
  else if (data->task != NULL)
    start_step_account (g_steal_pointer (&data->task));

  /* A change of conditions made while this start was on its way. */
  if (self->arms_in_flight == 0 && self->rearm_pending && self->running)
    rearm_conditions (self);
}

static void
arm_condition (HogaEngine *self,
               GTask      *task,
               const char *seq,
               gboolean    buy)
{
  g_autoptr(GError) error = NULL;
  ArmData *data;

  if (!hoga_condition_registry_set_active (self->conditions, seq, TRUE, &error))
    {
      report_problem (self, error);
      if (buy)
        arm_next (self, task, TRUE);
      else if (task != NULL)
        start_step_account (g_object_ref (task));
      return;
    }

  data = g_new0 (ArmData, 1);
  data->engine = g_object_ref (self);
  data->seq = g_strdup (seq);
  data->buy = buy;
  data->task = task != NULL ? g_object_ref (task) : NULL;
  self->arms_in_flight++;
  hoga_broker_start_condition_async (self->broker, seq, self->cancellable,
                                     condition_started_cb, data);
}

/* Arms the buy condition, then the sell condition (once, if it is the same). */
static void
arm_next (HogaEngine *self,
          GTask      *task,
          gboolean    after_buy)
{
  if (!after_buy && self->buy_seq != NULL)
    {
      arm_condition (self, task, self->buy_seq, TRUE);
      return;
    }
  if (self->sell_seq != NULL && g_strcmp0 (self->sell_seq, self->buy_seq) != 0)
    {
      arm_condition (self, task, self->sell_seq, FALSE);
      return;
    }
  if (task != NULL)
    start_step_account (g_object_ref (task));
}

static void
disarm_conditions (HogaEngine *self)
{
  g_auto(GStrv) seqs = hoga_condition_registry_dup_active_seqs (self->conditions);

  for (guint i = 0; seqs != NULL && seqs[i] != NULL; i++)
    {
      hoga_broker_stop_condition (self->broker, seqs[i]);
      hoga_condition_registry_set_active (self->conditions, seqs[i], FALSE, NULL);
    }
}

/* The conditions changed while running: stop the old ones, start the new ones. A start
 * still waiting for the broker cannot be stopped yet (Kiwoom answers it first), so the
 * change then waits for it: two quick changes of the drop-downs arm once, correctly. */
static void resolve_conditions (HogaEngine *self);

static void
rearm_conditions (HogaEngine *self)
{
  if (self->arms_in_flight > 0)
    {
      self->rearm_pending = TRUE;
      return;
    }
  self->rearm_pending = FALSE;
  disarm_conditions (self);
  resolve_conditions (self);
  arm_next (self, NULL, FALSE);
}

static void
resolve_conditions (HogaEngine *self)
{
  g_free (self->buy_seq);
  self->buy_seq = resolve_condition (self, self->settings->buy_condition,
                                     self->settings->buy_condition_seq, TRUE);
  g_free (self->sell_seq);
  self->sell_seq = resolve_condition (self, self->settings->sell_condition,
                                      self->settings->sell_condition_seq, FALSE);
}

static void
conditions_listed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaEngine *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = hoga_broker_list_conditions_finish (HOGA_BROKER (source),
                                                                   result, &error);

  if (infos == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  hoga_condition_registry_set_conditions (self->conditions, infos);
  resolve_conditions (self);
  arm_next (self, task, FALSE);
}

static void
start_step_online (GTask *task)
{
  HogaEngine *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  if (hoga_broker_get_state (self->broker) != HOGA_CONNECTION_ONLINE)
    {
      data->state_handler = g_signal_connect (self->broker, "notify::state",
                                              G_CALLBACK (state_changed_cb), task);
      data->online_timeout_id = g_timeout_add_seconds (ONLINE_TIMEOUT_S, online_timeout_cb,
                                                       task);
      return;
    }

  hoga_broker_list_conditions_async (self->broker, self->cancellable, conditions_listed_cb,
                                     task);
}

static void
start_deposit_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaEngine *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autofree HogaDeposit *deposit = hoga_broker_deposit_finish (HOGA_BROKER (source), result,
                                                                &error);

  if (deposit == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  hoga_account_set_deposit (self->account, deposit);

  if (self->daily.start_equity == 0)
    {
      self->daily.start_equity = deposit->cash + hoga_account_get_total_eval (self->account);
      save_daily (self);
    }

  self->running = TRUE;
  self->housekeeping_id = g_timeout_add_seconds (HOUSEKEEPING_INTERVAL_S, housekeeping_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  engine_log (self, G_LOG_LEVEL_MESSAGE, NULL,
              self->auto_sell ? _("Engine started; automatic selling is on")
                              : _("Engine started; automatic selling is off"));

  reconcile (self);
  g_task_return_boolean (task, TRUE);
}

static void
start_balance_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaEngine *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaBalance) balance = hoga_broker_balance_finish (HOGA_BROKER (source), result,
                                                               &error);

  if (balance == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  hoga_account_replace_holdings (self->account, balance);
  settle_positions_with_broker (self);
  sync_holdings (self);

  hoga_broker_deposit_async (self->broker, self->cancellable, start_deposit_cb,
                             g_steal_pointer (&task));
}

static void
start_step_account (GTask *task)
{
  HogaEngine *self = g_task_get_source_object (task);

  hoga_broker_balance_async (self->broker, self->cancellable, start_balance_cb, task);
}

static void
take_settings (HogaEngine         *self,
               const HogaSettings *settings)
{
  /* Copied before the old ones go: @settings may be hoga_engine_get_settings()'s. */
  HogaSettings *copy = hoga_settings_copy (settings);

  g_clear_pointer (&self->settings, hoga_settings_free);
  self->settings = copy;
  hoga_settings_fill_entry (copy, &self->entry);
  hoga_settings_fill_exit (copy, &self->exit);
  self->limits = (HogaRiskLimits) {
    .max_order_value = copy->max_order_value,
    .price_band_bp = copy->price_band_bp,
    .max_positions = copy->max_positions,
    .max_buys_per_day = copy->max_buys_per_day,
    .daily_loss_limit_bp = copy->daily_loss_limit_bp,
    .flatten_on_daily_loss = copy->flatten_on_daily_loss,
  };
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
hoga_engine_dispose (GObject *object)
{
  HogaEngine *self = HOGA_ENGINE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  if (self->symbols != NULL)
    g_hash_table_remove_all (self->symbols);
  if (self->cancel_refused != NULL)
    g_hash_table_remove_all (self->cancel_refused);
  if (self->cancelling != NULL)
    g_hash_table_remove_all (self->cancelling);
  g_clear_object (&self->orders);
  g_clear_object (&self->tracker);
  g_clear_object (&self->account);
  g_clear_object (&self->conditions);
  g_clear_object (&self->quotes);
  g_clear_object (&self->journal);
  g_clear_object (&self->broker);
  if (self->clock_destroy != NULL)
    g_clear_pointer (&self->clock_data, self->clock_destroy);
  self->clock_func = NULL;

  G_OBJECT_CLASS (hoga_engine_parent_class)->dispose (object);
}

static void
hoga_engine_finalize (GObject *object)
{
  HogaEngine *self = HOGA_ENGINE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->symbols, g_hash_table_unref);
  g_clear_pointer (&self->cancel_refused, g_hash_table_unref);
  g_clear_pointer (&self->cancelling, g_hash_table_unref);
  g_clear_pointer (&self->settings, hoga_settings_free);
  g_free (self->buy_seq);
  g_free (self->sell_seq);

  G_OBJECT_CLASS (hoga_engine_parent_class)->finalize (object);
}

static void
hoga_engine_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  HogaEngine *self = HOGA_ENGINE (object);

  switch (prop_id)
    {
    case PROP_AUTO_BUY:
      g_value_set_boolean (value, self->auto_buy);
      break;
    case PROP_AUTO_SELL:
      g_value_set_boolean (value, self->auto_sell);
      break;
    case PROP_KILL_TIER:
      g_value_set_int (value, self->kill_tier);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_BUYS_TODAY:
      g_value_set_uint (value, hoga_engine_get_buys_today (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_engine_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  HogaEngine *self = HOGA_ENGINE (object);

  switch (prop_id)
    {
    case PROP_AUTO_BUY:
      hoga_engine_set_auto_buy (self, g_value_get_boolean (value));
      break;
    case PROP_AUTO_SELL:
      hoga_engine_set_auto_sell (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hoga_engine_class_init (HogaEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hoga_engine_dispose;
  object_class->finalize = hoga_engine_finalize;
  object_class->get_property = hoga_engine_get_property;
  object_class->set_property = hoga_engine_set_property;

  properties[PROP_AUTO_BUY] =
    g_param_spec_boolean ("auto-buy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTO_SELL] =
    g_param_spec_boolean ("auto-sell", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KILL_TIER] =
    g_param_spec_int ("kill-tier", NULL, NULL, HOGA_KILL_NONE, HOGA_KILL_FLATTEN, HOGA_KILL_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BUYS_TODAY] =
    g_param_spec_uint ("buys-today", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOG] =
    g_signal_new ("log",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_PROBLEM] =
    g_signal_new ("problem",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hoga_engine_init (HogaEngine *self)
{
  self->cancellable = g_cancellable_new ();
  self->symbols = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, symbol_free);
  self->cancelling = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->cancel_refused = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->quotes = hoga_quote_book_new (128);
  self->conditions = hoga_condition_registry_new ();
  self->account = hoga_account_new ();
  self->tracker = hoga_tracker_new ();
}

/* ---- public API ----------------------------------------------------------------------- */

/**
 * hoga_engine_new:
 * @broker: the broker port
 * @journal: the journal port, open
 * @settings: the strategy and risk settings (copied)
 *
 * Returns: (transfer full): a new engine, not started; automatic buying is off
 */
HogaEngine *
hoga_engine_new (HogaBroker         *broker,
                 HogaJournal        *journal,
                 const HogaSettings *settings)
{
  HogaEngine *self;

  g_return_val_if_fail (HOGA_IS_BROKER (broker), NULL);
  g_return_val_if_fail (HOGA_IS_JOURNAL (journal), NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  self = g_object_new (HOGA_TYPE_ENGINE, NULL);
  self->broker = g_object_ref (broker);
  self->journal = g_object_ref (journal);
  take_settings (self, settings);
  self->auto_sell = settings->auto_sell;
  self->orders = hoga_order_book_new (broker, journal);
  hoga_order_book_set_clock (self->orders, engine_now_us, self);

  g_signal_connect_object (broker, "tick", G_CALLBACK (tick_cb), self, 0);
  g_signal_connect_object (broker, "condition-event", G_CALLBACK (condition_event_cb), self, 0);
  g_signal_connect_object (broker, "balance-event", G_CALLBACK (balance_event_cb), self, 0);
  g_signal_connect_object (broker, "rearmed", G_CALLBACK (rearmed_cb), self, 0);
  g_signal_connect_object (broker, "problem", G_CALLBACK (broker_problem_cb), self, 0);
  g_signal_connect_object (self->orders, "fill", G_CALLBACK (fill_cb), self, 0);
  g_signal_connect_object (self->orders, "costs", G_CALLBACK (costs_cb), self, 0);
  g_signal_connect_object (self->orders, "order-updated", G_CALLBACK (order_updated_cb), self, 0);

  return self;
}

/**
 * hoga_engine_set_clock:
 * @self: an engine
 * @func: (nullable): gives now in Asia/Seoul; %NULL for the wall clock
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data
 */
void
hoga_engine_set_clock (HogaEngine          *self,
                       HogaEngineClockFunc  func,
                       gpointer             user_data,
                       GDestroyNotify       destroy)
{
  g_return_if_fail (HOGA_IS_ENGINE (self));

  if (self->clock_destroy != NULL)
    g_clear_pointer (&self->clock_data, self->clock_destroy);
  self->clock_func = func;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
}

/**
 * hoga_engine_now:
 * @self: an engine
 *
 * Returns: (transfer full): now in Asia/Seoul, by the engine's clock
 */
GDateTime *
hoga_engine_now (HogaEngine *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  if (self->clock_func == NULL)
    return hoga_krx_now ();
  now = self->clock_func (self->clock_data);
  return hoga_krx_to_kst (now);
}

void
hoga_engine_start_async (HogaEngine          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_engine_start_async);
  g_task_set_task_data (task, g_new0 (StartData, 1), g_free);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("The engine is already running"));
      return;
    }
  /* Its journal is closed and its order book loaded once: a restart is a new engine. */
  if (self->stopped)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("The engine was stopped"));
      return;
    }

  hoga_journal_load_async (self->journal, today (self), journal_loaded_cb,
                           g_steal_pointer (&task));
}

gboolean
hoga_engine_start_finish (HogaEngine    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
journal_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hoga_journal_close_finish (HOGA_JOURNAL (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
hoga_engine_stop_async (HogaEngine          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_running;

  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_engine_stop_async);

  was_running = self->running;
  if (was_running)
    engine_log (self, G_LOG_LEVEL_MESSAGE, NULL, _("Engine stopping"));
  self->running = FALSE;
  self->stopped = TRUE;
  g_clear_handle_id (&self->housekeeping_id, g_source_remove);
  /* What was in flight is cancelled; later requests (the final flush) get a fresh one. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  disarm_conditions (self);
  hoga_broker_stop (self->broker);
  if (was_running)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  /* Completes after every write queued before it. */
  hoga_journal_close_async (self->journal, journal_closed_cb, g_steal_pointer (&task));
}

gboolean
hoga_engine_stop_finish (HogaEngine    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hoga_engine_apply_settings:
 * @self: an engine
 * @settings: new settings (copied)
 * @error: why they were refused
 *
 * Takes effect at the next decision. A changed buy or sell condition is re-armed while the
 * engine runs; "auto-sell" follows the settings only when their value changed.
 *
 * Returns: %TRUE when @settings were valid and applied
 */
gboolean
hoga_engine_apply_settings (HogaEngine          *self,
                            const HogaSettings  *settings,
                            GError             **error)
{
  const HogaSettings *old;
  gboolean conditions_changed;
  gboolean auto_sell_changed;

  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!hoga_settings_validate (settings, error))
    return FALSE;

  old = self->settings;
  conditions_changed = g_strcmp0 (settings->buy_condition, old->buy_condition) != 0
                       || g_strcmp0 (settings->buy_condition_seq, old->buy_condition_seq) != 0
                       || g_strcmp0 (settings->sell_condition, old->sell_condition) != 0
                       || g_strcmp0 (settings->sell_condition_seq, old->sell_condition_seq) != 0;
  auto_sell_changed = settings->auto_sell != old->auto_sell;

  take_settings (self, settings);
  if (auto_sell_changed)
    hoga_engine_set_auto_sell (self, self->settings->auto_sell);

  if (conditions_changed && self->running)
    rearm_conditions (self);
  return TRUE;
}

const HogaSettings *
hoga_engine_get_settings (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->settings;
}

gboolean
hoga_engine_get_auto_buy (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);

  return self->auto_buy;
}

void
hoga_engine_set_auto_buy (HogaEngine *self,
                          gboolean    auto_buy)
{
  g_return_if_fail (HOGA_IS_ENGINE (self));

  auto_buy = !!auto_buy;
  if (self->auto_buy == auto_buy)
    return;
  self->auto_buy = auto_buy;
  engine_log (self, G_LOG_LEVEL_MESSAGE, NULL,
              auto_buy ? _("Automatic buying on") : _("Automatic buying off"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_BUY]);

  /* Buying starts after the buy condition was armed (the switch is off at start): with
   * "buy snapshot members", the members it has now are what the snapshot stands for. */
  if (auto_buy && self->running && self->settings->buy_snapshot_members && self->buy_seq != NULL)
    buy_members (self, self->buy_seq);
}

gboolean
hoga_engine_get_auto_sell (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);

  return self->auto_sell;
}

void
hoga_engine_set_auto_sell (HogaEngine *self,
                           gboolean    auto_sell)
{
  g_return_if_fail (HOGA_IS_ENGINE (self));

  auto_sell = !!auto_sell;
  if (self->auto_sell == auto_sell)
    return;
  self->auto_sell = auto_sell;
  engine_log (self, G_LOG_LEVEL_MESSAGE, NULL,
              auto_sell ? _("Automatic selling on") : _("Automatic selling off"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_SELL]);
}

/**
 * hoga_engine_kill_switch:
 * @self: an engine
 * @tier: the tier to go to; a lower one than the current changes nothing
 *
 * Tier 1 stops buying; tier 2 also stops every automated order and cancels the working
 * ones; tier 3 also sells every tracked position at market.
 */
void
hoga_engine_kill_switch (HogaEngine   *self,
                         HogaKillTier  tier)
{
  GListModel *model;

  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (tier >= HOGA_KILL_NONE && tier <= HOGA_KILL_FLATTEN);

  if (tier <= self->kill_tier)
    return;

  self->kill_tier = tier;
  save_daily (self);
  engine_log (self, G_LOG_LEVEL_WARNING, NULL, _("Kill switch: %s"),
              tier == HOGA_KILL_STOP_BUYING ? _("buying stopped")
              : tier == HOGA_KILL_STOP_ALL ? _("all automation stopped, working orders cancelled")
              : _("selling everything at market"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KILL_TIER]);

  if (tier >= HOGA_KILL_STOP_ALL)
    {
      model = G_LIST_MODEL (self->orders);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(HogaOrder) order = g_list_model_get_item (model, i);
          Symbol *symbol;

          if (!order_is_working (order))
            continue;
          symbol = lookup_symbol (self, hoga_order_get_code (order));
          /* A working sell the flatten needs is replaced at market once cancelled. */
          if (tier == HOGA_KILL_FLATTEN && order == symbol->sell_order)
            {
              symbol->resend_market = TRUE;
              symbol->sell_origin = HOGA_ORDER_ORIGIN_FLATTEN;
            }
          cancel_order (self, order, "kill-switch");
        }
    }

  if (tier == HOGA_KILL_FLATTEN)
    {
      model = G_LIST_MODEL (self->tracker);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(HogaPosition) position = g_list_model_get_item (model, i);

          if (hoga_position_get_qty (position) > 0)
            submit_sell (self, hoga_position_get_code (position), HOGA_EXIT_REASON_NONE,
                         "kill-switch", HOGA_ORDER_ORIGIN_FLATTEN, TRUE);
        }
    }
}

void
hoga_engine_reset_kill_switch (HogaEngine *self)
{
  g_return_if_fail (HOGA_IS_ENGINE (self));

  if (self->kill_tier == HOGA_KILL_NONE)
    return;
  self->kill_tier = HOGA_KILL_NONE;
  save_daily (self);
  engine_log (self, G_LOG_LEVEL_MESSAGE, NULL, _("Kill switch reset"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KILL_TIER]);
}

HogaKillTier
hoga_engine_get_kill_tier (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), HOGA_KILL_NONE);

  return self->kill_tier;
}

/**
 * hoga_engine_sell_now:
 * @self: an engine
 * @code: a tracked or held symbol
 *
 * Sells the whole position at market, on the user's word (the risk guard's manual rules).
 */
void
hoga_engine_sell_now (HogaEngine *self,
                      const char *code)
{
  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (code != NULL);

  engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Sell requested by the user"));
  submit_sell (self, code, HOGA_EXIT_REASON_NONE, "manual", HOGA_ORDER_ORIGIN_MANUAL, TRUE);
}

/**
 * hoga_engine_stop_tracking:
 * @self: an engine
 * @code: a tracked symbol
 *
 * The position is no longer protected by the exit rules; a holding stays in the account
 * as external.
 */
void
hoga_engine_stop_tracking (HogaEngine *self,
                           const char *code)
{
  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (code != NULL);

  untrack (self, code, _("Tracking stopped by the user"));
}

/**
 * hoga_engine_adopt:
 * @self: an engine
 * @code: a held symbol that is not tracked
 * @error: why it cannot be adopted
 *
 * Tracks an external holding: the exit rules protect it from now on, the trailing peak
 * starting at the current price.
 *
 * Returns: %TRUE when the holding is now tracked
 */
gboolean
hoga_engine_adopt (HogaEngine  *self,
                   const char  *code,
                   GError     **error)
{
  HogaHolding *holding;
  g_autoptr(HogaPosition) position = NULL;
  Symbol *symbol;
  gint64 price;

  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  holding = hoga_account_lookup (self->account, code);
  if (holding == NULL || hoga_holding_get_qty (holding) <= 0
      || hoga_holding_get_avg_price (holding) <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("%s is not held in the account"), code);
      return FALSE;
    }
  if (hoga_tracker_lookup (self->tracker, code) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("%s is already tracked"), code);
      return FALSE;
    }

  symbol = lookup_symbol (self, code);
  price = hoga_holding_get_price (holding);
  symbol->exit = (HogaExitState) {
    .avg_cost = hoga_holding_get_avg_price (holding),
    .entry_filled = TRUE,
    .peak = price > 0 ? price : hoga_holding_get_avg_price (holding),
  };
  symbol->sell_condition = FALSE;

  position = hoga_position_new (code, hoga_holding_get_name (holding), engine_now_us (self));
  hoga_position_set_fill (position, symbol->exit.avg_cost, hoga_holding_get_qty (holding));
  hoga_position_apply_exit_state (position, &symbol->exit);
  if (price > 0)
    hoga_position_set_price (position, price);
  hoga_position_set_external (position, TRUE);
  hoga_position_set_state (position, HOGA_POSITION_STATE_TRACKING);
  hoga_tracker_add (self->tracker, position);
  subscribe (self, code, hoga_holding_get_name (holding));
  save_position (self, position);
  sync_holding (self, code);
  engine_log (self, G_LOG_LEVEL_MESSAGE, code, _("Holding adopted for tracking"));
  return TRUE;
}

HogaQuoteBook *
hoga_engine_get_quote_book (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->quotes;
}

HogaConditionRegistry *
hoga_engine_get_condition_registry (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->conditions;
}

HogaAccount *
hoga_engine_get_account (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->account;
}

HogaTracker *
hoga_engine_get_tracker (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->tracker;
}

HogaOrderBook *
hoga_engine_get_order_book (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->orders;
}

HogaBroker *
hoga_engine_get_broker (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);

  return self->broker;
}

guint
hoga_engine_get_buys_today (HogaEngine *self)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), 0);

  return (guint) MAX (self->daily.buy_count, 0);
}

/* ---- the user's orders ---------------------------------------------------------------- */

/* DESIGN.md §6: the manual order dialog and the orders frame's "cancel order". Where
 * DESIGN.md leaves a choice:
 *  - The risk guard's manual rules apply (hoga-risk-guard.c): from kill switch tier 1 on,
 *    the user's buys are stopped too; cash, the maximum order value and the price band are
 *    checked; the automation's own limits (positions, buys a day) are not, and the daily
 *    loss limit acts through the kill switch tier it sets.
 *  - A buy filled this way is tracked like an automatic one: the exit rules protect it
 *    from its fill on, as they protect everything Hoga bought, until the user stops
 *    tracking it. It counts as bought today, so the buy condition does not buy the symbol
 *    again, but not toward the automation's buys-a-day limit.
 *  - One working buy and one working sell per symbol, as for the engine's own orders (the
 *    engine follows one of each), and nothing while an order of the symbol has an unknown
 *    outcome (DESIGN.md §1.2).
 *  - A limit order rests until the user or the kill switch cancels it (cancel_unfilled()).
 */

G_DEFINE_QUARK (hoga-engine-error-quark, hoga_engine_error)

/* ka10001 answers with the price, the base price and the name: what the checks need. */
static void
stock_looked_up_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaEngine *self = g_task_get_source_object (task);
  const char *code = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree HogaStockInfo *info = hoga_broker_stock_info_finish (HOGA_BROKER (source), result,
                                                                  &error);
  HogaQuote *quote;

  if (info == NULL)
    {
      if (g_error_matches (error, HOGA_BROKER_ERROR, HOGA_BROKER_ERROR_UNKNOWN_SYMBOL))
        g_task_return_new_error (task, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_UNKNOWN_CODE,
                                 _("No stock has the code %s"), code);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  quote = hoga_quote_book_add (self->quotes, code, info->name[0] != '\0' ? info->name : NULL);
  hoga_quote_apply_stock_info (quote, info);
  g_task_return_pointer (task, g_object_ref (quote), g_object_unref);
}

/* Asks the broker for @code (normalised) when @force or when the book has no base price
 * for it. */
static void
lookup_stock (HogaEngine          *self,
              const char          *code,
              gboolean             force,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  HogaQuote *quote = hoga_quote_book_lookup (self->quotes, code);

  g_task_set_source_tag (task, lookup_stock);
  g_task_set_task_data (task, g_strdup (code), g_free);

  if (!force && quote != NULL && hoga_quote_get_base_price (quote) > 0)
    {
      g_task_return_pointer (task, g_object_ref (quote), g_object_unref);
      return;
    }
  if (!self->running)
    {
      g_task_return_new_error (task, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_RUNNING,
                               _("The engine is not running: %s can be looked up once it "
                                 "has started"), code);
      return;
    }
  hoga_broker_stock_info_async (self->broker, code, cancellable, stock_looked_up_cb,
                                g_steal_pointer (&task));
}

static gboolean
normalize_code (const char  *code,
                char         out[HOGA_CODE_SIZE],
                GError     **error)
{
  if (hoga_code_normalize (code, -1, out))
    return TRUE;
  g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_CODE,
               _("“%s” is not a stock code: a code is six characters, like 005930"), code);
  return FALSE;
}

/* "3", "2.5", "0.25" from basis points. */
static void
format_percent (gint64 bp,
                char   buf[32])
{
  gint64 magnitude = ABS (bp);

  if (magnitude % 100 == 0)
    g_snprintf (buf, 32, "%s%" G_GINT64_FORMAT, bp < 0 ? "-" : "", magnitude / 100);
  else if (magnitude % 10 == 0)
    g_snprintf (buf, 32, "%s%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, bp < 0 ? "-" : "",
                magnitude / 100, magnitude % 100 / 10);
  else
    g_snprintf (buf, 32, "%s%" G_GINT64_FORMAT ".%02" G_GINT64_FORMAT, bp < 0 ? "-" : "",
                magnitude / 100, magnitude % 100);
}

typedef struct {
  char          code[HOGA_CODE_SIZE];
  HogaSide      side;
  HogaOrderType type;
  gint64        qty;
  gint64        price;   /* the limit price; 0 for market */
  gint64        last;    /* the price the order is checked against; 0 = none */
} ManualOrder;

/* What can be said without asking anyone. */
static gboolean
check_manual_request (HogaEngine   *self,
                      const char   *code,
                      ManualOrder  *order,
                      GError      **error)
{
  char price_text[32];
  char below_text[32];
  char above_text[32];
  char tick_text[32];

  if (!self->running)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_RUNNING,
                   _("The engine is not running: orders can be placed once it has started"));
      return FALSE;
    }
  if (!normalize_code (code, order->code, error))
    return FALSE;
  if (order->qty <= 0)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_QUANTITY,
                   _("The quantity must be at least 1 share"));
      return FALSE;
    }
  if (order->type == HOGA_ORDER_TYPE_MARKET)
    {
      order->price = 0;
      return TRUE;
    }
  if (order->price <= 0)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE,
                   _("A limit order needs a price above 0 KRW"));
      return FALSE;
    }
  if (!hoga_krx_is_on_grid (order->price))
    {
      format_number (order->price, price_text);
      format_number (hoga_krx_round_down (order->price), below_text);
      format_number (hoga_krx_round_up (order->price), above_text);
      format_number (hoga_krx_tick_size (order->price), tick_text);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE,
                   _("%s KRW is not on the tick grid (steps of %s KRW at this price): "
                     "use %s or %s KRW"),
                   price_text, tick_text, below_text, above_text);
      return FALSE;
    }
  return TRUE;
}

/* One working order per side and symbol, and none while one has an unknown outcome. */
static gboolean
check_symbol_free (HogaEngine         *self,
                   const ManualOrder  *order,
                   GError            **error)
{
  Symbol *symbol = g_hash_table_lookup (self->symbols, order->code);
  GListModel *model = G_LIST_MODEL (self->orders);
  gboolean working = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaOrder) other = g_list_model_get_item (model, i);
      HogaOrderState state = hoga_order_get_state (other);

      if (g_strcmp0 (hoga_order_get_code (other), order->code) != 0)
        continue;
      if (state == HOGA_ORDER_STATE_UNKNOWN)
        {
          g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_BUSY,
                       _("An earlier order of %s has an unknown outcome: nothing more is "
                         "sent for it until the broker has been asked what became of it"),
                       order->code);
          return FALSE;
        }
      if (hoga_order_get_kind (other) == HOGA_ORDER_KIND_NEW
          && hoga_order_get_side (other) == order->side
          && !hoga_order_state_is_terminal (state))
        working = TRUE;
    }

  if (symbol != NULL)
    working |= order->side == HOGA_SIDE_BUY ? symbol->buy_pending : symbol->sell_in_flight;
  if (!working)
    return TRUE;

  g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_BUSY,
               order->side == HOGA_SIDE_BUY
               ? _("A buy of %s is already working: cancel it, or wait until it is done")
               : _("A sell of %s is already working: cancel it, or wait until it is done"),
               order->code);
  return FALSE;
}

static gboolean
check_sellable (HogaEngine         *self,
                const ManualOrder  *order,
                GError            **error)
{
  HogaHolding *holding = hoga_account_lookup (self->account, order->code);
  HogaPosition *position = hoga_tracker_lookup (self->tracker, order->code);
  gint64 sellable = 0;
  char sellable_text[32];
  char qty_text[32];

  /* The broker's figure; a tracked fill the balance has not caught up with yet counts. */
  if (holding != NULL)
    sellable = hoga_holding_get_sellable_qty (holding);
  else if (position != NULL)
    sellable = hoga_position_get_qty (position);

  if (sellable <= 0)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_ENOUGH_SHARES,
                   _("No shares of %s can be sold: none are held, or all are already "
                     "being sold"), order->code);
      return FALSE;
    }
  if (order->qty > sellable)
    {
      format_number (sellable, sellable_text);
      format_number (order->qty, qty_text);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_ENOUGH_SHARES,
                   _("Only %s shares of %s can be sold, not %s"),
                   sellable_text, order->code, qty_text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_limits (HogaEngine         *self,
              const ManualOrder  *order,
              GError            **error)
{
  gint64 base = base_price (self, order->code);
  char price_text[32];
  char lower_text[32];
  char upper_text[32];

  if (order->type != HOGA_ORDER_TYPE_LIMIT || base <= 0
      || (order->price >= hoga_krx_lower_limit (base)
          && order->price <= hoga_krx_upper_limit (base)))
    return TRUE;

  format_number (order->price, price_text);
  format_number (hoga_krx_lower_limit (base), lower_text);
  format_number (hoga_krx_upper_limit (base), upper_text);
  g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE,
               _("%s KRW is outside today's price limits of %s: use a price from %s to %s KRW"),
               price_text, order->code, lower_text, upper_text);
  return FALSE;
}

/* The risk guard's verdict as what the user can do about it. */
static void
set_risk_error (HogaEngine           *self,
                const ManualOrder    *order,
                const HogaRiskOrder  *risk_order,
                const HogaRiskState  *state,
                HogaRiskVerdict       verdict,
                GError              **error)
{
  char a[32];
  char b[32];
  char c[32];

  switch (verdict)
    {
    case HOGA_RISK_BAD_QUANTITY:
      format_number (order->qty, a);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_QUANTITY,
                   _("%s shares cannot be ordered"), a);
      break;

    case HOGA_RISK_KILL_SWITCH:
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_KILL_SWITCH,
                   order->side == HOGA_SIDE_BUY
                   ? _("The kill switch has stopped buying: reset it to buy again")
                   : _("The kill switch does not allow this order"));
      break;

    case HOGA_RISK_NO_PRICE:
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_REFUSED,
                   _("There is no current price of %s to check the order against: "
                     "try again once a quote has arrived"), order->code);
      break;

    case HOGA_RISK_OUTSIDE_LIMITS:
      format_number (order->price, a);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_INVALID_PRICE,
                   _("%s KRW is off the tick grid or outside today's price limits"), a);
      break;

    case HOGA_RISK_PRICE_BAND:
      format_number (order->price, a);
      format_number (risk_order->last_price, b);
      format_percent (self->limits.price_band_bp, c);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_REFUSED,
                   _("%s KRW is more than %s %% away from the last trade at %s KRW: "
                     "choose a closer price, or widen the price band in the risk settings"),
                   a, c, b);
      break;

    case HOGA_RISK_MAX_ORDER_VALUE:
      format_number (order->qty * (order->type == HOGA_ORDER_TYPE_LIMIT
                                   ? order->price : risk_order->last_price), a);
      format_number (self->limits.max_order_value, b);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_REFUSED,
                   _("The order is worth %s KRW, more than the maximum order value of %s KRW "
                     "in the risk settings"), a, b);
      break;

    case HOGA_RISK_NO_CASH:
      /* A market buy reserves its cash at the upper limit, as the broker does. */
      format_number (order->qty * (order->type == HOGA_ORDER_TYPE_LIMIT ? order->price
                                   : risk_order->base_price > 0
                                   ? hoga_krx_upper_limit (risk_order->base_price)
                                   : risk_order->last_price), a);
      format_number (state->orderable_cash, b);
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_REFUSED,
                   order->type == HOGA_ORDER_TYPE_LIMIT
                   ? _("Not enough cash: the order needs %s KRW and %s KRW can be ordered")
                   : _("Not enough cash: a market buy reserves %s KRW (at today's upper "
                       "limit) and %s KRW can be ordered"),
                   a, b);
      break;

    case HOGA_RISK_DAILY_LOSS:
    case HOGA_RISK_MAX_POSITIONS:
    case HOGA_RISK_MAX_BUYS:
    case HOGA_RISK_OK:
    default:
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_REFUSED,
                   _("Refused by the risk guard (%s)"), hoga_risk_verdict_to_string (verdict));
      break;
    }
}

/* Nothing was sent: says why, in the log and to the caller. Takes @task and @error. */
static void
refuse_manual (HogaEngine *self,
               GTask      *task,
               GError     *error)
{
  const ManualOrder *manual = g_task_get_task_data (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    engine_log (self, G_LOG_LEVEL_WARNING, manual->code[0] != '\0' ? manual->code : NULL,
                _("Order refused: %s"), error->message);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
manual_submitted_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HogaEngine *self = g_task_get_source_object (task);
  const ManualOrder *manual = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaOrder) order = hoga_order_book_submit_finish (HOGA_ORDER_BOOK (source), result,
                                                              &error);
  Symbol *symbol = lookup_symbol (self, manual->code);
  const char *text;

  if (order == NULL)
    {
      /* Not journaled, so not sent. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_problem (self, error);
      if (manual->side == HOGA_SIDE_BUY)
        buy_settled (self, symbol, NULL);
      else
        sell_settled (self, symbol);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (manual->side == HOGA_SIDE_BUY)
    {
      g_set_object (&symbol->buy_order, order);
      follow_buy (self, symbol, order);
    }
  else
    {
      g_set_object (&symbol->sell_order, order);
      follow_sell (self, symbol, order);
    }

  if (hoga_order_get_state (order) == HOGA_ORDER_STATE_REJECTED)
    {
      text = hoga_order_get_error (order);
      g_task_return_new_error (task, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_REJECTED,
                               _("The broker rejected the order: %s"),
                               *text != '\0' ? text : _("no reason given"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&order), g_object_unref);
}

/* The checks that need the symbol's prices and state, then the order. Runs in one go on
 * the main loop, so two requests cannot both pass the one-order-per-side check. */
static void
place_manual (HogaEngine *self,
              GTask      *task)
{
  ManualOrder *manual = g_task_get_task_data (task);
  Symbol *symbol;
  HogaQuote *quote;
  HogaPosition *position;
  HogaRiskState state;
  HogaRiskOrder risk_order;
  HogaRiskVerdict verdict;
  HogaOrderRequest request = {
    .side = manual->side,
    .type = manual->type,
    .venue = self->settings->venue,
    .qty = manual->qty,
    .price = manual->price,
  };
  GError *error = NULL;
  char qty_text[32];
  char price_text[32];

  if (!self->running)
    {
      refuse_manual (self, task,
                     g_error_new_literal (HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_RUNNING,
                                          _("The engine is not running: orders can be placed "
                                            "once it has started")));
      return;
    }
  if (!check_limits (self, manual, &error)
      || !check_symbol_free (self, manual, &error)
      || (manual->side == HOGA_SIDE_SELL && !check_sellable (self, manual, &error)))
    {
      refuse_manual (self, task, error);
      return;
    }

  fill_risk_state (self, &state);
  risk_order = (HogaRiskOrder) {
    .side = manual->side,
    .type = manual->type,
    .origin = HOGA_ORDER_ORIGIN_MANUAL,
    .qty = manual->qty,
    .price = manual->price,
    .last_price = manual->last,
    .base_price = base_price (self, manual->code),
  };
  verdict = hoga_risk_check_order (&self->limits, &state, &risk_order);
  if (verdict != HOGA_RISK_OK)
    {
      set_risk_error (self, manual, &risk_order, &state, verdict, &error);
      refuse_manual (self, task, error);
      return;
    }

  symbol = lookup_symbol (self, manual->code);
  position = hoga_tracker_lookup (self->tracker, manual->code);
  g_strlcpy (request.code, manual->code, sizeof request.code);
  format_number (manual->qty, qty_text);
  format_number (manual->price, price_text);

  if (manual->side == HOGA_SIDE_BUY)
    {
      /* Marked before the request leaves, like the engine's own buys. */
      symbol->buy_pending = TRUE;
      symbol->bought_today = TRUE;
      quote = hoga_quote_book_lookup (self->quotes, manual->code);
      subscribe (self, manual->code, NULL);
      if (position == NULL)
        {
          g_autoptr(HogaPosition) waiting = NULL;

          waiting = hoga_position_new (manual->code,
                                       quote != NULL ? hoga_quote_get_name (quote) : "",
                                       engine_now_us (self));
          hoga_position_set_state (waiting, HOGA_POSITION_STATE_WAITING_FILL);
          symbol->exit = (HogaExitState) { 0 };
          symbol->sell_condition = FALSE;
          hoga_tracker_add (self->tracker, waiting);
          /* Before the intent, as for the engine's own buys (place_buy()). */
          save_position (self, waiting);
        }
      if (manual->type == HOGA_ORDER_TYPE_MARKET)
        engine_log (self, G_LOG_LEVEL_MESSAGE, manual->code,
                    _("Buy placed by the user: %s shares at market"), qty_text);
      else
        engine_log (self, G_LOG_LEVEL_MESSAGE, manual->code,
                    _("Buy placed by the user: %s shares at %s KRW"), qty_text, price_text);
    }
  else
    {
      /* The exits wait while the user's sell works, as they wait for their own. */
      symbol->sell_in_flight = TRUE;
      symbol->resend_market = FALSE;
      symbol->sell_reason = HOGA_EXIT_REASON_NONE;
      symbol->sell_origin = HOGA_ORDER_ORIGIN_MANUAL;
      g_free (symbol->sell_reason_id);
      symbol->sell_reason_id = g_strdup ("manual");
      if (position != NULL)
        {
          hoga_position_set_state (position, HOGA_POSITION_STATE_SELLING);
          save_position (self, position);
        }
      if (manual->type == HOGA_ORDER_TYPE_MARKET)
        engine_log (self, G_LOG_LEVEL_MESSAGE, manual->code,
                    _("Sell placed by the user: %s shares at market"), qty_text);
      else
        engine_log (self, G_LOG_LEVEL_MESSAGE, manual->code,
                    _("Sell placed by the user: %s shares at %s KRW"), qty_text, price_text);
    }

  hoga_order_book_submit_async (self->orders, &request, "manual", self->cancellable,
                                manual_submitted_cb, task);
}

static void
manual_looked_up_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GTask *task = user_data;
  ManualOrder *manual = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(HogaQuote) quote = g_task_propagate_pointer (G_TASK (result), &error);

  if (quote == NULL)
    {
      if (error->domain != HOGA_ENGINE_ERROR && error->domain != G_IO_ERROR)
        g_prefix_error (&error, _("Could not read the price of %s: "), manual->code);
      refuse_manual (HOGA_ENGINE (source), task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  manual->last = hoga_quote_get_price (quote);
  place_manual (HOGA_ENGINE (source), task);
}

/**
 * hoga_engine_lookup_stock_async:
 * @self: an engine
 * @code: a stock code, normalised here
 * @cancellable: (nullable): stops the lookup
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Finds the quote of @code: from the quote book, or from the broker (ka10001) when the
 * book has no base price for it. Failure: %HOGA_ENGINE_ERROR_INVALID_CODE,
 * %HOGA_ENGINE_ERROR_UNKNOWN_CODE, %HOGA_ENGINE_ERROR_NOT_RUNNING or the broker's error.
 */
void
hoga_engine_lookup_stock_async (HogaEngine          *self,
                                const char          *code,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  char normalized[HOGA_CODE_SIZE];
  GError *error = NULL;

  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!normalize_code (code, normalized, &error))
    {
      g_task_report_error (self, callback, user_data, lookup_stock, error);
      return;
    }
  lookup_stock (self, normalized, FALSE, cancellable, callback, user_data);
}

/**
 * hoga_engine_lookup_stock_finish:
 * @self: an engine
 * @result: the result
 * @error: why there is no quote
 *
 * Returns: (transfer full) (nullable): the quote, in the engine's quote book
 */
HogaQuote *
hoga_engine_lookup_stock_finish (HogaEngine    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lookup_stock, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hoga_engine_place_order_async:
 * @self: a running engine
 * @code: the stock code, normalised here
 * @side: %HOGA_SIDE_BUY or %HOGA_SIDE_SELL
 * @qty: shares, at least 1
 * @type: market or limit
 * @price: the limit price, on the tick grid and inside the daily limits; 0 for market
 * @cancellable: (nullable): stops the order before it is journaled (while the price is
 *   looked up); once journaled, an order is sent and followed to its end whatever
 *   happens to @cancellable
 * @callback: called once the broker answered, or the order was refused
 * @user_data: for @callback
 *
 * The user's order (reason "manual"): checked (the code, the quantity, the price on the
 * tick grid and inside the daily limits, a sell of no more than is sellable, one working
 * order per side and symbol, the risk guard's manual rules), then journaled and sent
 * through the order book like every order. A refused order sends nothing and logs why.
 */
void
hoga_engine_place_order_async (HogaEngine          *self,
                               const char          *code,
                               HogaSide             side,
                               gint64               qty,
                               HogaOrderType        type,
                               gint64               price,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ManualOrder *manual;
  HogaQuote *quote;
  GError *error = NULL;
  gboolean held;

  g_return_if_fail (HOGA_IS_ENGINE (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (side == HOGA_SIDE_BUY || side == HOGA_SIDE_SELL);
  g_return_if_fail (type == HOGA_ORDER_TYPE_LIMIT || type == HOGA_ORDER_TYPE_MARKET);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hoga_engine_place_order_async);
  /* A journaled order's result must reach the caller even if it cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);
  manual = g_new0 (ManualOrder, 1);
  manual->side = side;
  manual->type = type;
  manual->qty = qty;
  manual->price = price;
  g_task_set_task_data (task, manual, g_free);

  if (!check_manual_request (self, code, manual, &error))
    {
      refuse_manual (self, g_steal_pointer (&task), error);
      return;
    }

  /* A market sell of what is held needs no price: getting out must not wait for data. */
  quote = hoga_quote_book_lookup (self->quotes, manual->code);
  manual->last = fresh_price (self, manual->code);
  held = hoga_account_lookup (self->account, manual->code) != NULL
         || hoga_tracker_lookup (self->tracker, manual->code) != NULL;
  if ((quote != NULL && hoga_quote_get_base_price (quote) > 0 && manual->last > 0)
      || (side == HOGA_SIDE_SELL && type == HOGA_ORDER_TYPE_MARKET && held))
    {
      place_manual (self, g_steal_pointer (&task));
      return;
    }

  lookup_stock (self, manual->code, TRUE, cancellable, manual_looked_up_cb,
                g_steal_pointer (&task));
}

/**
 * hoga_engine_place_order_finish:
 * @self: an engine
 * @result: the result
 * @error: why the order was refused or rejected (%HOGA_ENGINE_ERROR), or could not be
 *   journaled
 *
 * Returns: (transfer full) (nullable): the order, ACCEPTED (or further along), or UNKNOWN
 *   when the broker's reply did not come: the engine reconciles it and sends nothing
 *   for its symbol meanwhile
 */
HogaOrder *
hoga_engine_place_order_finish (HogaEngine    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (HOGA_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hoga_engine_place_order_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "0000138", or the journal's id while the broker has not numbered the order. */
static char *
order_label (HogaOrder *order)
{
  if (*hoga_order_get_ord_no (order) != '\0')
    return g_strdup (hoga_order_get_ord_no (order));
  return g_strdup_printf ("#%" G_GINT64_FORMAT, hoga_order_get_id (order));
}

/**
 * hoga_engine_cancel_order:
 * @self: a running engine
 * @order_id: the journal's id of an order of the order book
 * @error: why nothing was asked
 *
 * Asks the broker to cancel the unfilled part of a working (accepted or partly filled)
 * order. The cancel is an order of its own, journaled first; the original turns CANCELLED
 * once the broker confirms it, and the engine follows it like any other cancel (a buy
 * that filled nothing is no longer tracked; a sell lets the exits work again).
 *
 * Returns: %TRUE when the cancel was asked for
 */
gboolean
hoga_engine_cancel_order (HogaEngine  *self,
                          gint64       order_id,
                          GError     **error)
{
  GListModel *model;
  g_autoptr(HogaOrder) order = NULL;
  g_autofree char *label = NULL;
  HogaOrderState state;

  g_return_val_if_fail (HOGA_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  model = G_LIST_MODEL (self->orders);
  for (guint i = 0; order == NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaOrder) item = g_list_model_get_item (model, i);

      if (hoga_order_get_id (item) == order_id)
        order = g_steal_pointer (&item);
    }

  if (order == NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);

      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING,
                   /* Translators: an order's number in the orders frame */
                   _("There is no order #%s in this session"), id);
      return FALSE;
    }
  if (!self->running)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_RUNNING,
                   _("The engine is not running: orders can be cancelled once it has started"));
      return FALSE;
    }

  label = order_label (order);
  state = hoga_order_get_state (order);
  if (hoga_order_get_kind (order) == HOGA_ORDER_KIND_CANCEL)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING,
                   _("Order %s is itself a cancel and cannot be cancelled"), label);
      return FALSE;
    }
  if (state == HOGA_ORDER_STATE_PENDING || state == HOGA_ORDER_STATE_SENT)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING,
                   _("Order %s is waiting for the broker's reply: cancel it once it is "
                     "accepted"), label);
      return FALSE;
    }
  if (state == HOGA_ORDER_STATE_UNKNOWN)
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING,
                   _("Order %s has an unknown outcome: the broker is being asked what "
                     "became of it"), label);
      return FALSE;
    }
  if (!order_is_working (order))
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_NOT_WORKING,
                   _("Order %s is done: nothing of it is left to cancel"), label);
      return FALSE;
    }
  if (g_hash_table_contains (self->cancelling, order))
    {
      g_set_error (error, HOGA_ENGINE_ERROR, HOGA_ENGINE_ERROR_BUSY,
                   _("Order %s is already being cancelled"), label);
      return FALSE;
    }

  engine_log (self, G_LOG_LEVEL_MESSAGE, hoga_order_get_code (order),
              _("Cancel of order %s requested by the user"), label);
  cancel_order (self, order, "manual");
  return TRUE;
}
