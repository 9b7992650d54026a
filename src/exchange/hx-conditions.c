/* hx-conditions.c — server-side condition searches (조건검색식) with realtime I/D events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each condition is a predicate evaluated on every trade print. A symbol enters (I) as
 * soon as its predicate holds and leaves (D) only once the predicate has stayed false for
 * the condition's hold time in simulated seconds, as a real search re-run every few seconds
 * would report it: without the hold, instantaneous predicates (a volume spike) would leave
 * at the very next print. Leaving is checked on the symbol's trades and by a timer, so a
 * symbol that stops trading still leaves.
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "hx-conditions.h"

#define DEFAULT_HOLD_SECONDS 30.0
#define REQUIRED             NAN     /* a read_double() fallback: the key has no default */

typedef enum {
  KIND_VOLUME_SURGE,
  KIND_CHANGE_ABOVE,
  KIND_NEW_HIGH,
  KIND_MA_CROSS,
  KIND_DROP_FROM_HIGH,
} Kind;

/* HxCondition comes first so the pointers handed out are pointers to the whole entry. */
typedef struct {
  HxCondition  pub;

  Kind         kind;
  guint        window;        /* volume-surge: previous ticks averaged */
  double       ratio;         /* volume-surge: tick size over that average */
  double       percent;       /* change-above, drop-from-high; new-high's minimum change */
  guint        short_len;     /* ma-cross */
  guint        long_len;      /* ma-cross */
  gint64       hold_usec;

  GHashTable  *members;       /* HxSymbol * → Member * */
} Condition;

typedef struct {
  gint64 false_since;         /* simulated µs when the predicate turned false, 0 while it holds */
} Member;

struct _HxConditions
{
  GObject     parent_instance;

  HxMarket   *market;
  HxClock    *clock;

  GPtrArray  *conditions;     /* Condition *, owned */
  GArray     *seen_high;      /* gint64 per symbol index: the day high at its last print */
  gboolean    automatic;
  guint       hold_timer_id;
};

G_DEFINE_FINAL_TYPE (HxConditions, hx_conditions, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const kind_names[] = {
  [KIND_VOLUME_SURGE]   = "volume-surge",
  [KIND_CHANGE_ABOVE]   = "change-above",
  [KIND_NEW_HIGH]       = "new-high",
  [KIND_MA_CROSS]       = "ma-cross",
  [KIND_DROP_FROM_HIGH] = "drop-from-high",
  NULL
};

static void
condition_free (gpointer data)
{
  Condition *condition = data;

  g_free (condition->pub.seq);
  g_free (condition->pub.name);
  g_clear_pointer (&condition->members, g_hash_table_unref);
  g_free (condition);
}

static gboolean
is_seq (const char *group)
{
  gsize len = strlen (group);

  return len > 0 && len <= 4 && strspn (group, "0123456789") == len;
}

static gboolean
read_double (GKeyFile    *keyfile,
             const char  *group,
             const char  *key,
             double       fallback,
             double       min,
             double       max,
             double      *value,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  double read;

  if (!g_key_file_has_key (keyfile, group, key, NULL))
    {
      if (isnan (fallback))
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                       "condition [%s]: key “%s” is required", group, key);
          return FALSE;
        }
      *value = fallback;
      return TRUE;
    }

  read = g_key_file_get_double (keyfile, group, key, &local_error);
  if (local_error != NULL || read < min || read > max)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "condition [%s]: key “%s” must be a number from %g to %g",
                   group, key, min, max);
      return FALSE;
    }
  *value = read;
  return TRUE;
}

static gboolean
read_count (GKeyFile    *keyfile,
            const char  *group,
            const char  *key,
            guint        fallback,
            guint        min,
            guint        max,
            guint       *value,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  int read;

  if (!g_key_file_has_key (keyfile, group, key, NULL))
    {
      *value = fallback;
      return TRUE;
    }

  read = g_key_file_get_integer (keyfile, group, key, &local_error);
  if (local_error != NULL || read < (int) min || read > (int) max)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "condition [%s]: key “%s” must be a whole number from %u to %u",
                   group, key, min, max);
      return FALSE;
    }
  *value = (guint) read;
  return TRUE;
}

static Condition *
parse_condition (GKeyFile    *keyfile,
                 const char  *group,
                 GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *allowed = NULL;
  Condition *condition;
  double hold_seconds;
  double ratio = 0.0;
  double percent = 0.0;
  guint window = 0;
  guint short_len = 0;
  guint long_len = 0;
  guint k;

  if (!is_seq (group))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "condition [%s]: the group name is the condition’s seq and must be a number",
                   group);
      return NULL;
    }

  name = g_key_file_get_string (keyfile, group, "name", NULL);
  if (name == NULL || *g_strstrip (name) == '\0')
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                   "condition [%s]: key “name” is required", group);
      return NULL;
    }

  kind = g_key_file_get_string (keyfile, group, "kind", NULL);
  for (k = 0; kind_names[k] != NULL; k++)
    {
      if (g_strcmp0 (kind, kind_names[k]) == 0)
        break;
    }
  if (kind_names[k] == NULL)
    {
      allowed = g_strjoinv (", ", (char **) kind_names);
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "condition [%s]: key “kind” must be one of %s, not “%s”",
                   group, allowed, kind != NULL ? kind : "");
      return NULL;
    }

  if (!read_double (keyfile, group, "hold-seconds", DEFAULT_HOLD_SECONDS, 0.0, 86400.0,
                    &hold_seconds, error))
    return NULL;

  switch ((Kind) k)
    {
    case KIND_VOLUME_SURGE:
      if (!read_count (keyfile, group, "window", 5, 1, HX_RECENT_TICKS - 1, &window, error) ||
          !read_double (keyfile, group, "ratio", REQUIRED, 1.0, 1000.0, &ratio, error))
        return NULL;
      break;

    case KIND_CHANGE_ABOVE:
      if (!read_double (keyfile, group, "percent", REQUIRED, -30.0, 30.0, &percent, error))
        return NULL;
      break;

    case KIND_NEW_HIGH:
      if (!read_double (keyfile, group, "min-change", 0.0, -30.0, 30.0, &percent, error))
        return NULL;
      break;

    case KIND_MA_CROSS:
      if (!read_count (keyfile, group, "short", 5, 1, HX_RECENT_TICKS - 2, &short_len, error) ||
          !read_count (keyfile, group, "long", 20, 2, HX_RECENT_TICKS - 1, &long_len, error))
        return NULL;
      if (short_len >= long_len)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "condition [%s]: key “short” (%u) must be less than “long” (%u)",
                       group, short_len, long_len);
          return NULL;
        }
      break;

    case KIND_DROP_FROM_HIGH:
      if (!read_double (keyfile, group, "percent", REQUIRED, 0.1, 50.0, &percent, error))
        return NULL;
      break;

    default:
      g_assert_not_reached ();
    }

  condition = g_new0 (Condition, 1);
  condition->pub.seq = g_strdup (group);
  condition->pub.name = g_steal_pointer (&name);
  condition->kind = (Kind) k;
  condition->window = window;
  condition->ratio = ratio;
  condition->percent = percent;
  condition->short_len = short_len;
  condition->long_len = long_len;
  condition->hold_usec = (gint64) (hold_seconds * G_USEC_PER_SEC);
  condition->members = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return condition;
}

/* The price @back prints before the newest one (0 = the newest). */
static gint64
recent_price (const HxSymbol *symbol,
              guint           back)
{
  g_assert (back < symbol->recent_len);

  return symbol->recent_price[(symbol->recent_pos + HX_RECENT_TICKS - 1 - back) % HX_RECENT_TICKS];
}

static double
moving_average (const HxSymbol *symbol,
                guint           skip,
                guint           len)
{
  gint64 sum = 0;

  for (guint i = skip; i < skip + len; i++)
    sum += recent_price (symbol, i);
  return (double) sum / len;
}

static gboolean
volume_surges (const Condition *condition,
               const HxTrade   *trade)
{
  const HxSymbol *symbol = trade->symbol;
  gint64 sum = 0;

  if (symbol->recent_len <= condition->window)
    return FALSE;

  /* The newest ring entry is this trade; average the ones before it. */
  for (guint i = 1; i <= condition->window; i++)
    sum += symbol->recent_qty[(symbol->recent_pos + HX_RECENT_TICKS - 1 - i) % HX_RECENT_TICKS];
  return (double) ABS (trade->qty) * condition->window >= condition->ratio * (double) sum;
}

static gboolean
ma_above (const Condition *condition,
          const HxSymbol  *symbol,
          guint            skip)
{
  return moving_average (symbol, skip, condition->short_len)
         > moving_average (symbol, skip, condition->long_len);
}

static double
change_percent (const HxSymbol *symbol,
                gint64          price)
{
  return (double) (price - symbol->base_price) * 100.0 / (double) symbol->base_price;
}

/* Whether the predicate holds at this print, and whether it is an instant (an event of
 * this print only, so the hold time starts counting at once). */
static gboolean
evaluate (const Condition *condition,
          const HxTrade   *trade,
          gint64           prev_high,
          gboolean        *instant)
{
  const HxSymbol *symbol = trade->symbol;

  *instant = FALSE;

  switch (condition->kind)
    {
    case KIND_VOLUME_SURGE:
      *instant = TRUE;
      return volume_surges (condition, trade);

    case KIND_CHANGE_ABOVE:
      return change_percent (symbol, trade->price) >= condition->percent;

    case KIND_NEW_HIGH:
      *instant = TRUE;
      return trade->price >= symbol->high && trade->price > prev_high &&
             change_percent (symbol, trade->price) >= condition->percent;

    case KIND_MA_CROSS:
      *instant = TRUE;
      return symbol->recent_len > condition->long_len &&
             ma_above (condition, symbol, 0) && !ma_above (condition, symbol, 1);

    case KIND_DROP_FROM_HIGH:
      return symbol->high > 0 &&
             (double) trade->price <= (double) symbol->high * (1.0 - condition->percent / 100.0);

    default:
      g_assert_not_reached ();
    }
}

static void
emit_changed (HxConditions    *self,
              const Condition *condition,
              const HxSymbol  *symbol,
              gboolean         inserted)
{
  g_signal_emit (self, signals[CHANGED], 0, condition->pub.seq, symbol->code, inserted);
}

static void
update_member (HxConditions *self,
               Condition    *condition,
               HxSymbol     *symbol,
               gboolean      holds,
               gboolean      instant,
               gint64        now)
{
  Member *member = g_hash_table_lookup (condition->members, symbol);

  if (holds)
    {
      gboolean inserted = member == NULL;

      if (inserted)
        {
          member = g_new0 (Member, 1);
          g_hash_table_insert (condition->members, symbol, member);
        }
      member->false_since = instant ? now : 0;
      if (inserted)
        emit_changed (self, condition, symbol, TRUE);
    }
  else if (member != NULL)
    {
      if (member->false_since == 0)
        member->false_since = now;
      else if (now - member->false_since >= condition->hold_usec)
        {
          g_hash_table_remove (condition->members, symbol);
          emit_changed (self, condition, symbol, FALSE);
        }
    }
}

static void
expire_members (HxConditions *self)
{
  gint64 now = hx_clock_now_usec (self->clock);

  for (guint i = 0; i < self->conditions->len; i++)
    {
      Condition *condition = g_ptr_array_index (self->conditions, i);
      g_autoptr(GPtrArray) expired = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key;
      gpointer value;

      g_hash_table_iter_init (&iter, condition->members);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          Member *member = value;

          if (member->false_since != 0 && now - member->false_since >= condition->hold_usec)
            g_ptr_array_add (expired, key);
        }

      /* Removed after the walk: ::changed handlers may force members in or out. */
      for (guint j = 0; j < expired->len; j++)
        {
          HxSymbol *symbol = g_ptr_array_index (expired, j);

          if (g_hash_table_remove (condition->members, symbol))
            emit_changed (self, condition, symbol, FALSE);
        }
    }
}

static gboolean
hold_timer_cb (gpointer user_data)
{
  expire_members (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update_hold_timer (HxConditions *self)
{
  gboolean wanted = self->automatic && self->conditions->len > 0;

  if (!wanted)
    g_clear_handle_id (&self->hold_timer_id, g_source_remove);
  else if (self->hold_timer_id == 0)
    {
      /* Once per simulated second, as the phase watcher does. */
      guint interval_ms = (guint) MAX (10.0, 1000.0 / hx_clock_get_speed (self->clock));

      self->hold_timer_id = g_timeout_add (interval_ms, hold_timer_cb, self);
    }
}

static void
trade_cb (HxConditions *self,
          gpointer      data,
          HxMarket     *market)
{
  const HxTrade *trade = data;
  HxSymbol *symbol = trade->symbol;
  gint64 *seen;
  gint64 prev_high;
  gint64 now;

  if (!self->automatic || self->conditions->len == 0)
    return;

  if (symbol->index >= self->seen_high->len)
    g_array_set_size (self->seen_high, hx_market_get_n_symbols (self->market));
  seen = &g_array_index (self->seen_high, gint64, symbol->index);
  /* The first print of a day, or a remembered high above today's, means the market has
   * rolled over to a new day. */
  prev_high = symbol->n_trades > 1 && *seen <= symbol->high ? *seen : 0;
  *seen = symbol->high;

  now = hx_clock_now_usec (self->clock);
  for (guint i = 0; i < self->conditions->len; i++)
    {
      Condition *condition = g_ptr_array_index (self->conditions, i);
      gboolean instant;
      gboolean holds;

      holds = evaluate (condition, trade, prev_high, &instant);
      update_member (self, condition, symbol, holds, instant, now);
    }
}

static void
hx_conditions_dispose (GObject *object)
{
  HxConditions *self = HX_CONDITIONS (object);

  g_clear_handle_id (&self->hold_timer_id, g_source_remove);
  g_clear_object (&self->market);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (hx_conditions_parent_class)->dispose (object);
}

static void
hx_conditions_finalize (GObject *object)
{
  HxConditions *self = HX_CONDITIONS (object);

  g_clear_pointer (&self->conditions, g_ptr_array_unref);
  g_clear_pointer (&self->seen_high, g_array_unref);

  G_OBJECT_CLASS (hx_conditions_parent_class)->finalize (object);
}

static void
hx_conditions_class_init (HxConditionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_conditions_dispose;
  object_class->finalize = hx_conditions_finalize;

  /* The strings are the condition's seq and the symbol's code, both outliving the
   * emission, so they are passed without copies. */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_BOOLEAN);
}

static void
hx_conditions_init (HxConditions *self)
{
  self->conditions = g_ptr_array_new_with_free_func (condition_free);
  self->seen_high = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->automatic = TRUE;
}

HxConditions *
hx_conditions_new (HxMarket *market,
                   HxClock  *clock)
{
  HxConditions *self;

  g_return_val_if_fail (HX_IS_MARKET (market), NULL);
  g_return_val_if_fail (HX_IS_CLOCK (clock), NULL);

  self = g_object_new (HX_TYPE_CONDITIONS, NULL);
  self->market = g_object_ref (market);
  self->clock = g_object_ref (clock);
  g_signal_connect_object (market, "trade", G_CALLBACK (trade_cb), self, G_CONNECT_SWAPPED);

  return self;
}

gboolean
hx_conditions_load (HxConditions  *self,
                    GBytes        *keyfile,
                    GError       **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GPtrArray) parsed = NULL;
  g_auto(GStrv) groups = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (HX_IS_CONDITIONS (self), FALSE);
  g_return_val_if_fail (keyfile != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (keyfile, &size);
  if (!g_key_file_load_from_data (key_file, data != NULL ? data : "", size, G_KEY_FILE_NONE, error))
    return FALSE;

  parsed = g_ptr_array_new_with_free_func (condition_free);
  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      Condition *condition = parse_condition (key_file, groups[i], error);

      if (condition == NULL)
        return FALSE;
      g_ptr_array_add (parsed, condition);
    }

  /* A new set replaces the old one whole; its members start empty. */
  g_ptr_array_unref (self->conditions);
  self->conditions = g_steal_pointer (&parsed);
  update_hold_timer (self);

  return TRUE;
}

guint
hx_conditions_get_n (HxConditions *self)
{
  g_return_val_if_fail (HX_IS_CONDITIONS (self), 0);

  return self->conditions->len;
}

const HxCondition *
hx_conditions_get (HxConditions *self,
                   guint         index)
{
  g_return_val_if_fail (HX_IS_CONDITIONS (self), NULL);
  g_return_val_if_fail (index < self->conditions->len, NULL);

  return g_ptr_array_index (self->conditions, index);
}

const HxCondition *
hx_conditions_lookup (HxConditions *self,
                      const char   *seq)
{
  g_return_val_if_fail (HX_IS_CONDITIONS (self), NULL);

  for (guint i = 0; seq != NULL && i < self->conditions->len; i++)
    {
      Condition *condition = g_ptr_array_index (self->conditions, i);

      if (strcmp (condition->pub.seq, seq) == 0)
        return &condition->pub;
    }
  return NULL;
}

static int
compare_codes (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
hx_conditions_members (HxConditions *self,
                       const char   *seq)
{
  Condition *condition;
  GPtrArray *codes;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (HX_IS_CONDITIONS (self), NULL);

  codes = g_ptr_array_new ();
  condition = (Condition *) hx_conditions_lookup (self, seq);
  if (condition == NULL)
    return codes;

  g_hash_table_iter_init (&iter, condition->members);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (codes, ((HxSymbol *) key)->code);
  g_ptr_array_sort (codes, compare_codes);

  return codes;
}

gboolean
hx_conditions_force (HxConditions  *self,
                     const char    *seq,
                     const char    *code,
                     gboolean       inserted,
                     GError       **error)
{
  Condition *condition;
  HxSymbol *symbol;

  g_return_val_if_fail (HX_IS_CONDITIONS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  condition = (Condition *) hx_conditions_lookup (self, seq);
  if (condition == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No condition with seq “%s”", seq != NULL ? seq : "");
      return FALSE;
    }
  symbol = hx_market_lookup (self->market, code);
  if (symbol == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No symbol with code “%s”", code != NULL ? code : "");
      return FALSE;
    }

  if (inserted == g_hash_table_contains (condition->members, symbol))
    return TRUE;

  /* A forced member counts as holding until one of its trades says otherwise. */
  if (inserted)
    g_hash_table_insert (condition->members, symbol, g_new0 (Member, 1));
  else
    g_hash_table_remove (condition->members, symbol);
  emit_changed (self, condition, symbol, inserted);

  return TRUE;
}

void
hx_conditions_set_automatic (HxConditions *self,
                             gboolean      automatic)
{
  g_return_if_fail (HX_IS_CONDITIONS (self));

  self->automatic = !!automatic;
  update_hold_timer (self);
}
