/* hx-market.c — listed symbols and their price process on the KRX tick grid
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The random walk moves a one-tick quote (best bid just below best ask) a few ticks at a
 * time toward a per-symbol target that drifts and reverts to the base price; every print
 * trades at the ask (buy-initiated) or at the bid (sell-initiated). Symbols have fixed
 * activity weights so some are busy, and occasional bursts give one symbol many times its
 * volume and a directional run, which is what makes condition searches fire.
 *
 * Everything random comes from the seed: the walk from one GRand, and per-symbol or
 * per-day figures (activity, books, daily history) from hashes of the seed and the code,
 * so they do not depend on the order in which things are asked for.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "hx-market.h"

#define WALK_INTERVAL_MS        20
#define TYPICAL_PRINT_KRW       3000000.0
#define BURST_START_PROBABILITY 0.002
#define TARGET_REVERSION        0.01    /* share of the gap to the base closed per print */
#define TARGET_NOISE            0.003   /* standard deviation of the target per print */
#define MAX_GENERATED_CODES     9999
#define HISTORY_FIRST_YEAR      1990

/* HxSymbol comes first so the pointers handed out are pointers to the whole entry. */
typedef struct {
  HxSymbol  pub;

  double    weight;       /* share of the random walk's prints while calm */
  double    mean_lot;     /* typical print size in shares */
  double    target;       /* price the walk reverts toward, as a ratio of the base */
  guint     burst_left;   /* prints left in the current burst, 0 when calm */
  int       burst_dir;    /* +1 or -1 during a burst */
  double    burst_gain;   /* activity multiplier during a burst */
} Entry;

typedef struct {
  HxMarket *market;       /* unowned: the market removes its players when disposed */
  Entry    *entry;
  gint64   *prices;
  guint     n_prices;
  guint     pos;
  gint64    qty;
  guint     source_id;
} PathPlayer;

struct _HxMarket
{
  GObject      parent_instance;

  HxClock     *clock;
  guint64      seed;
  GRand       *rand;

  GPtrArray   *entries;        /* Entry *, owned */
  GHashTable  *by_code;        /* code → Entry * */
  guint        n_generated;

  /* prefix sums of the current activity weights, rebuilt when a weight changes */
  double      *cumulative;
  gboolean     weights_dirty;

  double       trades_per_second;
  double       carry;          /* fraction of a print owed by the previous walk tick */
  gint64       last_walk_time;
  guint        walk_id;

  GPtrArray   *players;        /* PathPlayer *, owned */
  char         session_date[9];
};

G_DEFINE_FINAL_TYPE (HxMarket, hx_market, G_TYPE_OBJECT)

enum {
  TRADE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint64
mix64 (guint64 x)
{
  /* splitmix64's finaliser: a cheap, well-distributed hash of 64 bits */
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

static guint64
hash_code (guint64     seed,
           const char *code)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const char *p = code; *p != '\0'; p++)
    h = (h ^ (guchar) *p) * G_GUINT64_CONSTANT (0x100000001b3);
  return mix64 (h ^ mix64 (seed));
}

/* Uniform in [0, 1) from a hash. */
static double
hash_unit (guint64 h)
{
  return (double) (h >> 11) * (1.0 / 9007199254740992.0);
}

/* Standard normal from two independent hashes (Box–Muller). */
static double
hash_normal (guint64 a,
             guint64 b)
{
  double u = 1.0 - hash_unit (a);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * hash_unit (b));
}

static double
rand_normal (GRand *rand)
{
  double u = 1.0 - g_rand_double (rand);

  return sqrt (-2.0 * log (u)) * cos (2.0 * G_PI * g_rand_double (rand));
}

/* The nearest grid price; the lower one on a tie. */
static gint64
round_to_grid (gint64 price)
{
  gint64 down;
  gint64 up;

  if (price < 1)
    return 1;
  down = hoga_krx_round_down (price);
  up = hoga_krx_round_up (price);
  return up - price < price - down ? up : down;
}

static gint64
snap_price (const HxSymbol *symbol,
            gint64          price)
{
  /* The limits are grid prices, so rounding a price between them stays between them. */
  price = CLAMP (price, symbol->lower_limit, symbol->upper_limit);
  return round_to_grid (price);
}

static gint64
price_from_ratio (const HxSymbol *symbol,
                  double          ratio)
{
  return snap_price (symbol, (gint64) llround ((double) symbol->base_price * ratio));
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->pub.name);
  g_free (entry->pub.market_name);
  g_free (entry);
}

static void
path_player_free (gpointer data)
{
  PathPlayer *player = data;

  g_clear_handle_id (&player->source_id, g_source_remove);
  g_free (player->prices);
  g_free (player);
}

static void
reset_day (Entry *entry)
{
  HxSymbol *symbol = &entry->pub;

  symbol->upper_limit = hoga_krx_upper_limit (symbol->base_price);
  symbol->lower_limit = hoga_krx_lower_limit (symbol->base_price);
  symbol->last = 0;
  symbol->open = 0;
  symbol->high = 0;
  symbol->low = 0;
  /* Before the first print the quote sits just above the base price, so there is always
   * a price to fill a market order at. */
  symbol->best_bid = symbol->base_price;
  symbol->best_ask = hoga_krx_add_ticks (symbol->base_price, 1);
  symbol->cum_volume = 0;
  symbol->cum_value = 0;
  symbol->n_trades = 0;
  symbol->recent_pos = 0;
  symbol->recent_len = 0;
  entry->target = 1.0;
  entry->burst_left = 0;
}

static Entry *
entry_new (HxMarket   *self,
           const char *code,
           const char *name,
           gint64      base_price,
           const char *market_name,
           gint64      prev_volume)
{
  Entry *entry = g_new0 (Entry, 1);
  guint64 h = hash_code (self->seed, code);
  double turnover;

  g_strlcpy (entry->pub.code, code, sizeof entry->pub.code);
  entry->pub.name = g_strdup (name);
  entry->pub.market_name = g_strdup (market_name);
  entry->pub.base_price = base_price;
  entry->pub.prev_volume = prev_volume;
  reset_day (entry);

  /* Activity follows yesterday's turnover (in billions of KRW) with some noise, so large
   * caps are usually busier but not always in the same order. */
  turnover = (double) MAX (prev_volume, 1000) * (double) base_price / 1e9;
  entry->weight = sqrt (turnover) * exp (0.5 * hash_normal (mix64 (h + 1), mix64 (h + 2)));
  entry->mean_lot = MAX (1.0, TYPICAL_PRINT_KRW / (double) base_price);

  return entry;
}

static void
add_entry (HxMarket *self,
           Entry    *entry)
{
  entry->pub.index = self->entries->len;
  g_ptr_array_add (self->entries, entry);
  g_hash_table_insert (self->by_code, entry->pub.code, entry);
  self->weights_dirty = TRUE;
}

static gboolean
is_valid_code (const char *code)
{
  if (strlen (code) != HX_CODE_LEN)
    return FALSE;
  /* Codes issued since 2024 may contain capital letters (e.g. 0088M0). */
  for (guint i = 0; i < HX_CODE_LEN; i++)
    {
      if (!g_ascii_isdigit (code[i]) && !g_ascii_isupper (code[i]))
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_count (const char *text,
             gint64     *value)
{
  guint64 parsed;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 1000, &parsed, NULL))
    return FALSE;
  *value = (gint64) parsed;
  return TRUE;
}

static Entry *
parse_symbol_line (HxMarket    *self,
                   const char  *line,
                   guint        line_no,
                   GHashTable  *seen,
                   GError     **error)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", -1);
  gint64 base_price;
  gint64 prev_volume;

  if (g_strv_length (fields) != 5)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: expected 5 tab-separated fields "
                   "(code, name, base price, market, volume), found %u",
                   line_no, g_strv_length (fields));
      return NULL;
    }
  if (!is_valid_code (fields[0]))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: code “%s” is not 6 digits or capital letters",
                   line_no, fields[0]);
      return NULL;
    }
  if (g_hash_table_contains (seen, fields[0]))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: code %s is listed twice", line_no, fields[0]);
      return NULL;
    }
  if (*g_strstrip (fields[1]) == '\0' || !g_utf8_validate (fields[1], -1, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: the name is empty or not UTF-8", line_no);
      return NULL;
    }
  if (!parse_count (fields[2], &base_price) || !hoga_krx_is_on_grid (base_price))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: base price “%s” is not a positive price on the KRX tick grid",
                   line_no, fields[2]);
      return NULL;
    }
  if (g_strcmp0 (fields[3], "KOSPI") != 0 && g_strcmp0 (fields[3], "KOSDAQ") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: market “%s” is not KOSPI or KOSDAQ", line_no, fields[3]);
      return NULL;
    }
  if (!parse_count (fields[4], &prev_volume))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: volume “%s” is not a non-negative integer",
                   line_no, fields[4]);
      return NULL;
    }

  if (g_hash_table_contains (self->by_code, fields[0]))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "symbols line %u: code %s is already listed", line_no, fields[0]);
      return NULL;
    }

  return entry_new (self, fields[0], fields[1], base_price, fields[3], prev_volume);
}

static void
rebuild_weights (HxMarket *self)
{
  double sum = 0.0;
  double calm_mean;

  for (guint i = 0; i < self->entries->len; i++)
    sum += ((Entry *) g_ptr_array_index (self->entries, i))->weight;
  calm_mean = self->entries->len > 0 ? sum / self->entries->len : 0.0;

  self->cumulative = g_renew (double, self->cumulative, MAX (self->entries->len, 1));
  sum = 0.0;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      /* A burst is sized against the average symbol, so a quiet name that bursts becomes
       * one of the busiest for a while. */
      if (!entry->pub.scripted)
        sum += entry->burst_left > 0 ? calm_mean * entry->burst_gain : entry->weight;
      self->cumulative[i] = sum;
    }
  self->weights_dirty = FALSE;
}

static Entry *
pick_entry (HxMarket *self)
{
  guint n = self->entries->len;
  double total;
  double u;
  guint lo = 0;
  guint hi;

  if (self->weights_dirty)
    rebuild_weights (self);
  if (n == 0 || self->cumulative[n - 1] <= 0.0)
    return NULL;

  total = self->cumulative[n - 1];
  u = g_rand_double (self->rand) * total;
  hi = n - 1;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->cumulative[mid] > u)
        hi = mid;
      else
        lo = mid + 1;
    }
  return g_ptr_array_index (self->entries, lo);
}

static void
maybe_start_burst (HxMarket *self)
{
  Entry *entry;

  if (self->entries->len == 0 || g_rand_double (self->rand) >= BURST_START_PROBABILITY)
    return;

  entry = g_ptr_array_index (self->entries,
                             g_rand_int_range (self->rand, 0, (gint32) self->entries->len));
  if (entry->pub.scripted || entry->burst_left > 0)
    return;

  entry->burst_left = (guint) g_rand_int_range (self->rand, 40, 201);
  entry->burst_gain = g_rand_double_range (self->rand, 5.0, 20.0);
  /* Runs up are more common than runs down, as on a day with themes in play. */
  entry->burst_dir = g_rand_double (self->rand) < 0.65 ? 1 : -1;
  self->weights_dirty = TRUE;
}

static void
walk_one (HxMarket *self)
{
  HxSymbol *symbol;
  Entry *entry;
  double lot;
  double diff_ticks;
  double p_up;
  double u;
  gint64 qty;
  gint64 ask;
  gint64 bid;
  gint64 price;
  int move;
  gboolean buy;

  maybe_start_burst (self);

  entry = pick_entry (self);
  if (entry == NULL)
    return;
  symbol = &entry->pub;

  lot = entry->mean_lot * exp (rand_normal (self->rand) - 0.5);
  if (entry->burst_left > 0)
    lot *= g_rand_double_range (self->rand, 2.0, 6.0);
  qty = MAX (1, llround (lot));

  if (symbol->last == 0)
    {
      /* The first print of the day opens near the base price. */
      double ratio = 1.0 + g_rand_double_range (self->rand, -0.02, 0.02);

      entry->target = ratio;
      buy = g_rand_boolean (self->rand);
      hx_market_trade (self, symbol, price_from_ratio (symbol, ratio), buy ? qty : -qty);
      return;
    }

  entry->target = 1.0 + (entry->target - 1.0) * (1.0 - TARGET_REVERSION)
                  + TARGET_NOISE * rand_normal (self->rand);
  if (entry->burst_left > 0)
    {
      entry->target += entry->burst_dir * g_rand_double_range (self->rand, 0.0002, 0.001);
      if (--entry->burst_left == 0)
        self->weights_dirty = TRUE;
    }
  entry->target = CLAMP (entry->target,
                         (double) symbol->lower_limit / symbol->base_price,
                         (double) symbol->upper_limit / symbol->base_price);

  diff_ticks = ((double) symbol->base_price * entry->target - (double) symbol->last)
               / (double) hoga_krx_tick_size (symbol->last);
  p_up = 0.5 + 0.45 * tanh (diff_ticks / 3.0);

  u = g_rand_double (self->rand);
  if (entry->burst_left > 0)
    move = u < 0.2 ? 0 : u < 0.7 ? 1 : 2;
  else
    move = u < 0.4 ? 0 : u < 0.85 ? 1 : 2;
  if (g_rand_double (self->rand) >= p_up)
    move = -move;

  /* Move the one-tick quote, then print at the side the aggressor took. */
  ask = symbol->best_ask != 0 ? symbol->best_ask : hoga_krx_add_ticks (symbol->best_bid, 1);
  ask = snap_price (symbol, hoga_krx_add_ticks (ask, move));
  bid = ask > symbol->lower_limit ? hoga_krx_add_ticks (ask, -1) : 0;
  buy = g_rand_double (self->rand) < 0.5 + 0.3 * tanh (diff_ticks / 3.0);
  price = buy || bid == 0 ? ask : bid;

  hx_market_trade (self, symbol, price, buy ? qty : -qty);
}

static void
remove_players (HxMarket *self,
                Entry    *entry)
{
  for (guint i = self->players->len; i > 0; i--)
    {
      PathPlayer *player = g_ptr_array_index (self->players, i - 1);

      if (player->entry == entry)
        g_ptr_array_remove_index_fast (self->players, i - 1);
    }
}

static gint64
book_qty (HxMarket       *self,
          const HxSymbol *symbol,
          guint           level,
          gboolean        ask)
{
  const Entry *entry = (const Entry *) symbol;
  guint64 h = hash_code (self->seed, symbol->code)
              ^ mix64 (symbol->n_trades)
              ^ mix64 (G_GUINT64_CONSTANT (0x1000) + level * 2 + (ask ? 1 : 0));
  double u = hash_unit (mix64 (h));

  /* Mostly a few typical prints' worth, now and then a wall. */
  return MAX (1, llround (entry->mean_lot * (1.0 + 40.0 * u * u * u)));
}

static gboolean
parse_date (const char *yyyymmdd,
            GDate      *date)
{
  guint value;
  guint year;
  guint month;
  guint day;

  if (yyyymmdd == NULL || strlen (yyyymmdd) != 8 || strspn (yyyymmdd, "0123456789") != 8)
    return FALSE;
  value = (guint) g_ascii_strtoull (yyyymmdd, NULL, 10);
  year = value / 10000;
  month = value / 100 % 100;
  day = value % 100;
  if (!g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_set_dmy (date, day, month, year);
  return TRUE;
}

static gboolean
is_weekday (const GDate *date)
{
  return g_date_get_weekday (date) <= G_DATE_FRIDAY;
}

static void
previous_weekday (GDate *date)
{
  do
    g_date_subtract_days (date, 1);
  while (!is_weekday (date));
}

static void
format_date (const GDate *date,
             char         out[9])
{
  g_snprintf (out, 9, "%04u%02u%02u",
              (guint) g_date_get_year (date),
              (guint) g_date_get_month (date),
              (guint) g_date_get_day (date));
}

/* One historical day @days_back trading days before yesterday, closing at @close; returns
 * that day's base price (the previous close). Draws come from (seed, code, days_back) so
 * a day looks the same whatever range is asked for. */
static gint64
history_day (HxMarket       *self,
             const HxSymbol *symbol,
             guint           days_back,
             gint64          close,
             HxDailyBar     *bar)
{
  guint64 h = mix64 (hash_code (self->seed, symbol->code) ^ mix64 (days_back + 1));
  double change = CLAMP (0.02 * hash_normal (mix64 (h + 1), mix64 (h + 2)), -0.1, 0.1);
  gint64 base = round_to_grid ((gint64) llround ((double) close / (1.0 + change)));
  gint64 lower = hoga_krx_lower_limit (base);
  gint64 upper = hoga_krx_upper_limit (base);
  gint64 open;
  gint64 top;
  gint64 bottom;
  double volume;

  open = round_to_grid (llround ((double) base * (1.0 + 0.008 * hash_normal (mix64 (h + 3), mix64 (h + 4)))));
  open = CLAMP (open, lower, upper);
  top = MAX (open, close);
  bottom = MIN (open, close);

  bar->open = open;
  bar->close = close;
  bar->high = CLAMP (hoga_krx_round_up ((gint64) ((double) top * (1.0 + 0.01 * fabs (hash_normal (mix64 (h + 5), mix64 (h + 6)))))),
                     top, upper);
  bar->low = CLAMP (hoga_krx_round_down ((gint64) ((double) bottom * (1.0 - 0.01 * fabs (hash_normal (mix64 (h + 7), mix64 (h + 8)))))),
                    lower, bottom);

  /* Yesterday's row matches the symbol's own "yesterday's volume". */
  volume = days_back == 0
           ? (double) symbol->prev_volume
           : (double) symbol->prev_volume * exp (0.4 * hash_normal (mix64 (h + 9), mix64 (h + 10)));
  bar->volume = MAX (1, llround (volume));
  bar->value_million = llround ((double) bar->volume
                                * (double) (bar->open + bar->high + bar->low + bar->close) / 4.0
                                / 1e6);

  return base;
}

static void
roll_day (HxMarket *self)
{
  char today[9];

  hx_clock_format_date (self->clock, today);
  if (strcmp (today, self->session_date) == 0)
    return;

  g_debug ("New trading day %s: yesterday's closes become base prices", today);
  memcpy (self->session_date, today, sizeof today);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->pub.last == 0)
        continue;
      entry->pub.base_price = entry->pub.last;
      entry->pub.prev_volume = entry->pub.cum_volume;
      reset_day (entry);
    }
}

static gboolean
walk_cb (gpointer user_data)
{
  HxMarket *self = user_data;
  gint64 now = g_get_monotonic_time ();
  double owed;
  guint n;

  if (!hx_clock_is_trading (self->clock))
    {
      self->last_walk_time = now;
      self->carry = 0.0;
      return G_SOURCE_CONTINUE;
    }

  /* A stalled main loop does not owe more than half a second of prints. */
  owed = self->carry + self->trades_per_second
                       * MIN ((double) (now - self->last_walk_time) / G_USEC_PER_SEC, 0.5);
  self->last_walk_time = now;
  n = (guint) owed;
  self->carry = owed - n;

  hx_market_walk (self, n);
  return G_SOURCE_CONTINUE;
}

static void
phase_changed_cb (HxMarket *self,
                  guint     phase,
                  HxClock  *clock)
{
  if (phase == HOGA_KRX_PHASE_PRE_MARKET || phase == HOGA_KRX_PHASE_CONTINUOUS)
    roll_day (self);
}

static gboolean
play_path_cb (gpointer user_data)
{
  PathPlayer *player = user_data;
  HxMarket *self = player->market;
  HxSymbol *symbol = &player->entry->pub;
  gint64 price = player->prices[player->pos++];
  gint64 qty = player->qty;
  gboolean done = player->pos == player->n_prices;

  /* Finish the bookkeeping first: a ::trade handler may replace this path, freeing it. */
  if (done)
    {
      player->source_id = 0;
      g_ptr_array_remove_fast (self->players, player);
    }
  hx_market_trade (self, symbol, price, qty);

  return done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
hx_market_dispose (GObject *object)
{
  HxMarket *self = HX_MARKET (object);

  g_clear_handle_id (&self->walk_id, g_source_remove);
  if (self->players != NULL)
    g_ptr_array_set_size (self->players, 0);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (hx_market_parent_class)->dispose (object);
}

static void
hx_market_finalize (GObject *object)
{
  HxMarket *self = HX_MARKET (object);

  g_clear_pointer (&self->players, g_ptr_array_unref);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->cumulative, g_free);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (hx_market_parent_class)->finalize (object);
}

static void
hx_market_class_init (HxMarketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_market_dispose;
  object_class->finalize = hx_market_finalize;

  /* (gpointer trade): a const HxTrade *, valid during the emission only. */
  signals[TRADE] =
    g_signal_new ("trade",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
hx_market_init (HxMarket *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->players = g_ptr_array_new_with_free_func (path_player_free);
  self->weights_dirty = TRUE;
}

HxMarket *
hx_market_new (HxClock *clock,
               guint64  seed)
{
  HxMarket *self;
  guint32 seed_words[2];

  g_return_val_if_fail (HX_IS_CLOCK (clock), NULL);

  self = g_object_new (HX_TYPE_MARKET, NULL);
  self->clock = g_object_ref (clock);
  self->seed = seed;

  seed_words[0] = (guint32) seed;
  seed_words[1] = (guint32) (seed >> 32);
  self->rand = g_rand_new_with_seed_array (seed_words, G_N_ELEMENTS (seed_words));

  hx_clock_format_date (clock, self->session_date);
  g_signal_connect_object (clock, "phase-changed",
                           G_CALLBACK (phase_changed_cb), self, G_CONNECT_SWAPPED);

  return self;
}

gboolean
hx_market_load_symbols (HxMarket  *self,
                        GBytes    *tsv,
                        GError   **error)
{
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (HX_IS_MARKET (self), FALSE);
  g_return_val_if_fail (tsv != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (tsv, &size);
  text = g_strndup (data, size);
  lines = g_strsplit (text, "\n", -1);

  /* Parse everything first so a bad row leaves the market as it was. */
  parsed = g_ptr_array_new_with_free_func (entry_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = lines[i];
      gsize len = strlen (line);
      Entry *entry;

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
      if (line[0] == '#' || is_blank (line))
        continue;

      entry = parse_symbol_line (self, line, i + 1, seen, error);
      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (parsed, entry);
      g_hash_table_add (seen, entry->pub.code);
    }

  g_ptr_array_set_free_func (parsed, NULL);
  for (guint i = 0; i < parsed->len; i++)
    add_entry (self, g_ptr_array_index (parsed, i));

  return TRUE;
}

void
hx_market_add_generated (HxMarket *self,
                         guint     total)
{
  g_return_if_fail (HX_IS_MARKET (self));

  while (self->entries->len < total && self->n_generated < MAX_GENERATED_CODES)
    {
      char code[HX_CODE_LEN + 1];
      g_autofree char *name = NULL;
      guint n = ++self->n_generated;
      guint64 h;
      double turnover;
      gint64 base_price;
      gint64 prev_volume;

      g_snprintf (code, sizeof code, "9%04u0", n);
      if (g_hash_table_contains (self->by_code, code))
        continue;

      /* Prices log-uniform over 1,000–300,000 KRW cover every tick band but the top;
       * turnover is log-normal around 5 billion KRW a day. */
      h = hash_code (self->seed, code);
      base_price = round_to_grid ((gint64) exp (log (1000.0) + hash_unit (mix64 (h + 11)) * log (300.0)));
      turnover = 5e9 * exp (1.2 * hash_normal (mix64 (h + 12), mix64 (h + 13)));
      prev_volume = MAX (1000, (gint64) (turnover / (double) base_price));
      name = g_strdup_printf ("시뮬종목 %04u", n);

      add_entry (self, entry_new (self, code, name, base_price,
                                  hash_unit (mix64 (h + 14)) < 0.5 ? "KOSPI" : "KOSDAQ",
                                  prev_volume));
    }

  if (self->entries->len < total)
    g_warning ("Only %u symbols: no generated codes are left", self->entries->len);
}

guint
hx_market_get_n_symbols (HxMarket *self)
{
  g_return_val_if_fail (HX_IS_MARKET (self), 0);

  return self->entries->len;
}

HxSymbol *
hx_market_get_symbol (HxMarket *self,
                      guint     index)
{
  g_return_val_if_fail (HX_IS_MARKET (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);

  return g_ptr_array_index (self->entries, index);
}

HxSymbol *
hx_market_lookup (HxMarket   *self,
                  const char *code)
{
  char key[HX_CODE_LEN + 1];
  gsize len;

  g_return_val_if_fail (HX_IS_MARKET (self), NULL);

  if (code == NULL)
    return NULL;

  /* Kiwoom writes the same symbol as A005930 (conditions) or with a venue suffix,
   * 005930_NX (Nextrade) or 005930_AL (both venues). */
  len = strlen (code);
  if (code[0] == 'A' && (len == HX_CODE_LEN + 1 || len == HX_CODE_LEN + 4))
    {
      code++;
      len--;
    }
  if (len == HX_CODE_LEN + 3 &&
      (strcmp (code + HX_CODE_LEN, "_NX") == 0 || strcmp (code + HX_CODE_LEN, "_AL") == 0))
    len = HX_CODE_LEN;
  if (len != HX_CODE_LEN)
    return NULL;

  memcpy (key, code, HX_CODE_LEN);
  key[HX_CODE_LEN] = '\0';
  return g_hash_table_lookup (self->by_code, key);
}

void
hx_market_start (HxMarket *self,
                 double    trades_per_second)
{
  g_return_if_fail (HX_IS_MARKET (self));
  g_return_if_fail (trades_per_second >= 0.0);

  self->trades_per_second = trades_per_second;
  if (trades_per_second == 0.0)
    {
      hx_market_stop (self);
      return;
    }

  if (self->walk_id == 0)
    {
      self->last_walk_time = g_get_monotonic_time ();
      self->carry = 0.0;
      self->walk_id = g_timeout_add (WALK_INTERVAL_MS, walk_cb, self);
    }
}

void
hx_market_stop (HxMarket *self)
{
  g_return_if_fail (HX_IS_MARKET (self));

  g_clear_handle_id (&self->walk_id, g_source_remove);
}

gboolean
hx_market_is_running (HxMarket *self)
{
  g_return_val_if_fail (HX_IS_MARKET (self), FALSE);

  return self->walk_id != 0;
}

void
hx_market_walk (HxMarket *self,
                guint     n_prints)
{
  g_return_if_fail (HX_IS_MARKET (self));

  for (guint i = 0; i < n_prints; i++)
    walk_one (self);
}

void
hx_market_trade (HxMarket *self,
                 HxSymbol *symbol,
                 gint64    price,
                 gint64    qty)
{
  HxTrade trade;
  gint64 size;

  g_return_if_fail (HX_IS_MARKET (self));
  g_return_if_fail (symbol != NULL);
  g_return_if_fail (qty != 0);

  price = snap_price (symbol, price);
  size = ABS (qty);

  if (symbol->last == 0)
    {
      symbol->open = price;
      symbol->high = price;
      symbol->low = price;
    }
  else
    {
      symbol->high = MAX (symbol->high, price);
      symbol->low = MIN (symbol->low, price);
    }
  symbol->last = price;
  symbol->cum_volume += size;
  symbol->cum_value += price * size;
  symbol->n_trades++;

  /* The aggressor took the best level of the other side; a one-tick spread remains, except
   * at a daily limit where nothing can be quoted beyond it. */
  if (qty > 0)
    {
      symbol->best_ask = price;
      symbol->best_bid = price > symbol->lower_limit ? hoga_krx_add_ticks (price, -1) : 0;
    }
  else
    {
      symbol->best_bid = price;
      symbol->best_ask = price < symbol->upper_limit ? hoga_krx_add_ticks (price, 1) : 0;
    }

  symbol->recent_qty[symbol->recent_pos] = size;
  symbol->recent_price[symbol->recent_pos] = price;
  symbol->recent_pos = (symbol->recent_pos + 1) % HX_RECENT_TICKS;
  symbol->recent_len = MIN (symbol->recent_len + 1, HX_RECENT_TICKS);

  trade.symbol = symbol;
  trade.price = price;
  trade.qty = qty;
  hx_clock_format_time (self->clock, trade.hhmmss);
  g_signal_emit (self, signals[TRADE], 0, &trade);
}

void
hx_market_play_path (HxMarket     *self,
                     HxSymbol     *symbol,
                     const gint64 *prices,
                     guint         n_prices,
                     gint64        qty,
                     guint         interval_ms)
{
  PathPlayer *player;

  g_return_if_fail (HX_IS_MARKET (self));
  g_return_if_fail (symbol != NULL);
  g_return_if_fail (prices != NULL || n_prices == 0);
  g_return_if_fail (qty != 0);

  hx_market_set_scripted (self, symbol, TRUE);
  /* A new path replaces one still playing on the same symbol. */
  remove_players (self, (Entry *) symbol);
  if (n_prices == 0)
    return;

  player = g_new0 (PathPlayer, 1);
  player->market = self;
  player->entry = (Entry *) symbol;
  player->prices = g_memdup2 (prices, n_prices * sizeof *prices);
  player->n_prices = n_prices;
  player->qty = qty;
  player->source_id = g_timeout_add (interval_ms, play_path_cb, player);
  g_ptr_array_add (self->players, player);
}

void
hx_market_set_scripted (HxMarket *self,
                        HxSymbol *symbol,
                        gboolean  scripted)
{
  g_return_if_fail (HX_IS_MARKET (self));
  g_return_if_fail (symbol != NULL);

  if (!scripted)
    remove_players (self, (Entry *) symbol);
  symbol->scripted = !!scripted;
  self->weights_dirty = TRUE;
}

void
hx_market_get_book (HxMarket       *self,
                    const HxSymbol *symbol,
                    HxBook         *book)
{
  gint64 ask;
  gint64 bid;

  g_return_if_fail (HX_IS_MARKET (self));
  g_return_if_fail (symbol != NULL);
  g_return_if_fail (book != NULL);

  memset (book, 0, sizeof *book);

  ask = symbol->best_ask;
  bid = symbol->best_bid;

  for (guint i = 0; i < HX_BOOK_LEVELS && ask != 0; i++)
    {
      book->ask[i] = ask;
      book->ask_qty[i] = book_qty (self, symbol, i, TRUE);
      book->total_ask_qty += book->ask_qty[i];
      ask = ask < symbol->upper_limit ? hoga_krx_add_ticks (ask, 1) : 0;
    }
  for (guint i = 0; i < HX_BOOK_LEVELS && bid != 0; i++)
    {
      book->bid[i] = bid;
      book->bid_qty[i] = book_qty (self, symbol, i, FALSE);
      book->total_bid_qty += book->bid_qty[i];
      bid = bid > symbol->lower_limit ? hoga_krx_add_ticks (bid, -1) : 0;
    }
}

gint64
hx_symbol_current_price (const HxSymbol *symbol)
{
  g_return_val_if_fail (symbol != NULL, 0);

  return symbol->last != 0 ? symbol->last : symbol->base_price;
}

GArray *
hx_market_daily_bars (HxMarket       *self,
                      const HxSymbol *symbol,
                      const char     *yyyymmdd,
                      guint           max_rows)
{
  g_autoptr(GArray) bars = NULL;
  char today_text[9];
  GDate end;
  GDate today;
  GDate day;
  gint64 close;

  g_return_val_if_fail (HX_IS_MARKET (self), NULL);
  g_return_val_if_fail (symbol != NULL, NULL);

  bars = g_array_sized_new (FALSE, TRUE, sizeof (HxDailyBar), MIN (max_rows, 1024));
  hx_clock_format_date (self->clock, today_text);
  if (max_rows == 0 || !parse_date (yyyymmdd, &end) || !parse_date (today_text, &today))
    return g_steal_pointer (&bars);

  if (g_date_compare (&end, &today) >= 0)
    {
      /* Today's row is the live session so far (an always-open clock trades at weekends). */
      if (symbol->last != 0)
        {
          HxDailyBar bar = { { 0 }, };

          memcpy (bar.date, today_text, sizeof bar.date);
          bar.open = symbol->open;
          bar.high = symbol->high;
          bar.low = symbol->low;
          bar.close = symbol->last;
          bar.volume = symbol->cum_volume;
          bar.value_million = symbol->cum_value / 1000000;
          g_array_append_val (bars, bar);
        }
      end = today;
      previous_weekday (&end);
    }

  /* History runs backwards from yesterday, which closed at today's base price. */
  day = today;
  previous_weekday (&day);
  close = symbol->base_price;
  for (guint days_back = 0;
       bars->len < max_rows && g_date_get_year (&day) >= HISTORY_FIRST_YEAR;
       days_back++)
    {
      HxDailyBar bar;

      close = history_day (self, symbol, days_back, close, &bar);
      if (g_date_compare (&day, &end) <= 0)
        {
          format_date (&day, bar.date);
          g_array_append_val (bars, bar);
        }
      previous_weekday (&day);
    }

  return g_steal_pointer (&bars);
}
