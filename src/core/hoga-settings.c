/* hoga-settings.c — typed broker, strategy and risk settings from GSettings or a key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table describes every key: its group (the GSettings child and the key-file group),
 * type, range, default and summary. Loading, validation, the defaults, the --help text and
 * the GVariant view the tests compare against the compiled schema all walk that table, so
 * the desktop app and the headless engine cannot drift apart.
 *
 * Loading checks syntax and ranges key by key; hoga_settings_validate() then checks the
 * keys again together. A setting that would trade differently from what was written is an
 * error, never a warning: an unknown key in a key file is most often a typo in a risk key.
 */
#define G_LOG_DOMAIN "hoga-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hoga-settings.h"

typedef enum {
  KIND_BOOLEAN,  /* gboolean, schema type b */
  KIND_INT,      /* gint32, schema type i */
  KIND_UINT,     /* guint, schema type u */
  KIND_INT64,    /* gint64, schema type x */
  KIND_CHOICE,   /* an enum field, a schema enum (its nick) */
  KIND_TIME,     /* guint32 hhmmss, schema type s as "HH:MM" */
  KIND_TEXT,     /* char *, schema type s */
  KIND_URL,      /* char *, schema type s, empty or a URL of one of @choices' schemes */
} KeyKind;

typedef struct {
  const char *nick;
  int         value;
} Choice;

typedef struct {
  const char   *group;
  const char   *name;
  KeyKind       kind;
  gsize         offset;
  gint64        min;             /* numbers; hhmmss for times */
  gint64        max;
  gint64        default_number;  /* booleans and numbers */
  const char   *default_text;    /* choices (a nick), times and text */
  const Choice *choices;         /* choices; for URLs, the schemes (value unused) */
  const char   *unit;            /* every number has one */
  const char   *summary;         /* the schema's <summary>, word for word */
  const char   *note;
  gboolean      key_file_only;
} KeyInfo;

#define FIELD(member) G_STRUCT_OFFSET (HogaSettings, member)

G_DEFINE_QUARK (hoga-settings-error-quark, hoga_settings_error)

G_DEFINE_BOXED_TYPE (HogaSettings, hoga_settings, hoga_settings_copy, hoga_settings_free)

static const Choice profiles[] = {
  { "simulated", HOGA_PROFILE_SIMULATED },
  { "mock", HOGA_PROFILE_MOCK },
  { "real", HOGA_PROFILE_REAL },
  { "custom", HOGA_PROFILE_CUSTOM },
  { NULL, 0 },
};

static const Choice venues[] = {
  { "KRX", HOGA_VENUE_KRX },
  { "NXT", HOGA_VENUE_NXT },
  { "SOR", HOGA_VENUE_SOR },
  { NULL, 0 },
};

static const Choice order_types[] = {
  { "market", HOGA_ORDER_TYPE_MARKET },
  { "limit", HOGA_ORDER_TYPE_LIMIT },
  { NULL, 0 },
};

static const Choice http_schemes[] = {
  { "https", 0 },
  { "http", 0 },
  { NULL, 0 },
};

static const Choice ws_schemes[] = {
  { "wss", 0 },
  { "ws", 0 },
  { NULL, 0 },
};

static const char * const groups[] = { "broker", "strategy", "risk", NULL };

/* Trading hours of the longest venue (NXT, 08:00–20:00); the engine still checks phases. */
#define TIME_MIN  80000
#define TIME_MAX 200000

static const KeyInfo keys[] = {
  { .group = "broker", .name = "profile", .kind = KIND_CHOICE, .offset = FIELD (profile),
    .choices = profiles, .default_text = "simulated",
    .summary = N_("Trading profile"),
    .note = N_("simulated and mock trade paper money; real trades real money") },
  { .group = "broker", .name = "rest-url", .kind = KIND_URL, .offset = FIELD (rest_url),
    .choices = http_schemes, .default_text = "",
    .summary = N_("REST base URL"),
    .note = N_("custom profile only") },
  { .group = "broker", .name = "ws-url", .kind = KIND_URL, .offset = FIELD (ws_url),
    .choices = ws_schemes, .default_text = "",
    .summary = N_("WebSocket URL"),
    .note = N_("custom profile only") },
  { .group = "broker", .name = "rate-limit", .kind = KIND_UINT, .offset = FIELD (rate_limit),
    .min = 0, .max = 100, .default_number = 0, .unit = N_("per second"),
    .summary = N_("Requests per second"),
    .note = N_("0 uses the profile’s default: "
               "5 for real, 1 for mock, 5 for simulated and custom") },
  { .group = "broker", .name = "venue", .kind = KIND_CHOICE, .offset = FIELD (venue),
    .choices = venues, .default_text = "KRX",
    .summary = N_("Order venue"),
    .note = N_("the mock server supports KRX only") },

  { .group = "strategy", .name = "auto-buy", .kind = KIND_BOOLEAN, .offset = FIELD (auto_buy),
    .default_number = FALSE, .key_file_only = TRUE,
    .summary = N_("Buy automatically"),
    .note = N_("headless only: the desktop app always starts with automatic buying off") },
  { .group = "strategy", .name = "auto-sell", .kind = KIND_BOOLEAN, .offset = FIELD (auto_sell),
    .default_number = TRUE,
    .summary = N_("Sell automatically") },
  { .group = "strategy", .name = "buy-condition", .kind = KIND_TEXT,
    .offset = FIELD (buy_condition), .default_text = "",
    .summary = N_("Buy condition"),
    .note = N_("the condition search’s name; "
               "buy-condition-seq is used when no condition has it") },
  { .group = "strategy", .name = "buy-condition-seq", .kind = KIND_TEXT,
    .offset = FIELD (buy_condition_seq), .default_text = "",
    .summary = N_("Buy condition number") },
  { .group = "strategy", .name = "sell-condition", .kind = KIND_TEXT,
    .offset = FIELD (sell_condition), .default_text = "",
    .summary = N_("Sell condition"),
    .note = N_("the condition search’s name; "
               "sell-condition-seq is used when no condition has it") },
  { .group = "strategy", .name = "sell-condition-seq", .kind = KIND_TEXT,
    .offset = FIELD (sell_condition_seq), .default_text = "",
    .summary = N_("Sell condition number") },
  { .group = "strategy", .name = "amount-per-stock", .kind = KIND_INT64,
    .offset = FIELD (amount_per_stock),
    .min = 1000, .max = 1000000000, .default_number = 1000000, .unit = N_("KRW"),
    .summary = N_("Amount per stock") },
  { .group = "strategy", .name = "max-positions", .kind = KIND_UINT,
    .offset = FIELD (max_positions),
    .min = 1, .max = 100, .default_number = 5, .unit = N_("positions"),
    .summary = N_("Maximum positions") },
  { .group = "strategy", .name = "stop-loss", .kind = KIND_INT, .offset = FIELD (stop_loss_bp),
    .min = 1, .max = 5000, .default_number = 300, .unit = N_("basis points"),
    .summary = N_("Stop-loss") },
  { .group = "strategy", .name = "trailing-start", .kind = KIND_INT,
    .offset = FIELD (trailing_start_bp),
    .min = 0, .max = 10000, .default_number = 300, .unit = N_("basis points"),
    .summary = N_("Trailing stop start"),
    .note = N_("0 turns the trailing stop off") },
  { .group = "strategy", .name = "trailing-drop", .kind = KIND_INT,
    .offset = FIELD (trailing_drop_bp),
    .min = 1, .max = 5000, .default_number = 100, .unit = N_("basis points"),
    .summary = N_("Trailing stop drop") },
  { .group = "strategy", .name = "take-profit", .kind = KIND_INT,
    .offset = FIELD (take_profit_bp),
    .min = 0, .max = 50000, .default_number = 0, .unit = N_("basis points"),
    .summary = N_("Take-profit"),
    .note = N_("0 turns take-profit off") },
  { .group = "strategy", .name = "buy-type", .kind = KIND_CHOICE, .offset = FIELD (buy_type),
    .choices = order_types, .default_text = "market",
    .summary = N_("Buy order type") },
  { .group = "strategy", .name = "buy-limit-offset-ticks", .kind = KIND_INT,
    .offset = FIELD (buy_limit_offset_ticks),
    .min = -10, .max = 10, .default_number = 0, .unit = N_("ticks"),
    .summary = N_("Buy limit offset") },
  { .group = "strategy", .name = "sell-type", .kind = KIND_CHOICE, .offset = FIELD (sell_type),
    .choices = order_types, .default_text = "market",
    .summary = N_("Sell order type") },
  { .group = "strategy", .name = "sell-limit-offset-ticks", .kind = KIND_INT,
    .offset = FIELD (sell_limit_offset_ticks),
    .min = -10, .max = 10, .default_number = 0, .unit = N_("ticks"),
    .summary = N_("Sell limit offset") },
  { .group = "strategy", .name = "trading-window-start", .kind = KIND_TIME,
    .offset = FIELD (trading_window_start),
    .min = TIME_MIN, .max = TIME_MAX, .default_text = "09:00",
    .summary = N_("Buy from") },
  { .group = "strategy", .name = "trading-window-end", .kind = KIND_TIME,
    .offset = FIELD (trading_window_end),
    .min = TIME_MIN, .max = TIME_MAX, .default_text = "15:00",
    .summary = N_("Buy until") },
  { .group = "strategy", .name = "end-of-day-sell", .kind = KIND_BOOLEAN,
    .offset = FIELD (end_of_day_sell), .default_number = FALSE,
    .summary = N_("Sell at the end of the day") },
  { .group = "strategy", .name = "end-of-day-time", .kind = KIND_TIME,
    .offset = FIELD (end_of_day_time),
    .min = TIME_MIN, .max = TIME_MAX, .default_text = "15:15",
    .summary = N_("End-of-day sell time") },
  { .group = "strategy", .name = "buy-snapshot-members", .kind = KIND_BOOLEAN,
    .offset = FIELD (buy_snapshot_members), .default_number = FALSE,
    .summary = N_("Buy snapshot members") },
  { .group = "strategy", .name = "allow-reentry", .kind = KIND_BOOLEAN,
    .offset = FIELD (allow_reentry), .default_number = FALSE,
    .summary = N_("Allow re-entry") },
  { .group = "strategy", .name = "cooldown", .kind = KIND_UINT, .offset = FIELD (cooldown_s),
    .min = 0, .max = 86400, .default_number = 60, .unit = N_("seconds"),
    .summary = N_("Buy cooldown") },
  { .group = "strategy", .name = "unfilled-buy-timeout", .kind = KIND_UINT,
    .offset = FIELD (unfilled_buy_timeout_s),
    .min = 1, .max = 3600, .default_number = 30, .unit = N_("seconds"),
    .summary = N_("Unfilled buy timeout") },
  { .group = "strategy", .name = "unfilled-sell-timeout", .kind = KIND_UINT,
    .offset = FIELD (unfilled_sell_timeout_s),
    .min = 1, .max = 3600, .default_number = 10, .unit = N_("seconds"),
    .summary = N_("Unfilled sell timeout") },
  { .group = "strategy", .name = "sell-retry-cooldown", .kind = KIND_UINT,
    .offset = FIELD (sell_retry_cooldown_s),
    .min = 5, .max = 600, .default_number = 10, .unit = N_("seconds"),
    .summary = N_("Sell retry cooldown") },

  { .group = "risk", .name = "max-order-value", .kind = KIND_INT64,
    .offset = FIELD (max_order_value),
    .min = 1000, .max = G_GINT64_CONSTANT (10000000000), .default_number = 5000000,
    .unit = N_("KRW"),
    .summary = N_("Maximum order value") },
  { .group = "risk", .name = "max-buys-per-day", .kind = KIND_UINT,
    .offset = FIELD (max_buys_per_day),
    .min = 1, .max = 1000, .default_number = 20, .unit = N_("buys"),
    .summary = N_("Maximum buys per day") },
  { .group = "risk", .name = "daily-loss-limit", .kind = KIND_INT,
    .offset = FIELD (daily_loss_limit_bp),
    .min = 0, .max = 5000, .default_number = 300, .unit = N_("basis points"),
    .summary = N_("Daily loss limit"),
    .note = N_("of the start-of-day equity; 0 turns the limit off") },
  { .group = "risk", .name = "flatten-on-daily-loss", .kind = KIND_BOOLEAN,
    .offset = FIELD (flatten_on_daily_loss), .default_number = FALSE,
    .summary = N_("Sell everything at the daily loss limit") },
  { .group = "risk", .name = "price-band", .kind = KIND_INT, .offset = FIELD (price_band_bp),
    .min = 10, .max = 3000, .default_number = 300, .unit = N_("basis points"),
    .summary = N_("Price band") },
  { .group = "risk", .name = "staleness-limit", .kind = KIND_UINT,
    .offset = FIELD (staleness_limit_ms),
    .min = 200, .max = 600000, .default_number = 5000, .unit = N_("milliseconds"),
    .summary = N_("Staleness limit") },
};

static const KeyInfo *
find_key (const char *group,
          const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_str_equal (keys[i].group, group) && g_str_equal (keys[i].name, name))
        return &keys[i];
    }
  return NULL;
}

/* Text fields are "" when unset, but callers may also have set them to NULL. */
static gboolean
is_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

static gboolean
is_group (const char *group)
{
  return g_strv_contains (groups, group);
}

static gint64
get_number (const HogaSettings *self,
            const KeyInfo      *info)
{
  switch (info->kind)
    {
    case KIND_BOOLEAN:
      return G_STRUCT_MEMBER (gboolean, self, info->offset);
    case KIND_INT:
      return G_STRUCT_MEMBER (gint32, self, info->offset);
    case KIND_UINT:
      return G_STRUCT_MEMBER (guint, self, info->offset);
    case KIND_INT64:
      return G_STRUCT_MEMBER (gint64, self, info->offset);
    case KIND_CHOICE:
      return G_STRUCT_MEMBER (int, self, info->offset);
    case KIND_TIME:
      return G_STRUCT_MEMBER (guint32, self, info->offset);
    case KIND_TEXT:
    case KIND_URL:
    default:
      g_assert_not_reached ();
    }
}

/* Callers have checked @value against the key's range, which fits its field. */
static void
set_number (HogaSettings  *self,
            const KeyInfo *info,
            gint64         value)
{
  switch (info->kind)
    {
    case KIND_BOOLEAN:
      G_STRUCT_MEMBER (gboolean, self, info->offset) = value != 0;
      break;
    case KIND_INT:
      G_STRUCT_MEMBER (gint32, self, info->offset) = (gint32) value;
      break;
    case KIND_UINT:
      G_STRUCT_MEMBER (guint, self, info->offset) = (guint) value;
      break;
    case KIND_INT64:
      G_STRUCT_MEMBER (gint64, self, info->offset) = value;
      break;
    case KIND_CHOICE:
      G_STRUCT_MEMBER (int, self, info->offset) = (int) value;
      break;
    case KIND_TIME:
      G_STRUCT_MEMBER (guint32, self, info->offset) = (guint32) value;
      break;
    case KIND_TEXT:
    case KIND_URL:
    default:
      g_assert_not_reached ();
    }
}

static char **
text_field (const HogaSettings *self,
            const KeyInfo      *info)
{
  g_assert (info->kind == KIND_TEXT || info->kind == KIND_URL);

  return &G_STRUCT_MEMBER (char *, self, info->offset);
}

/* Numbers go into translatable messages as %s: xgettext cannot see through
 * G_GINT64_FORMAT. */
static char *
format_int (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static char *
format_time (gint64 hhmmss)
{
  if (hhmmss % 100 != 0)
    return g_strdup_printf ("%02d:%02d:%02d", (int) (hhmmss / 10000),
                            (int) (hhmmss / 100 % 100), (int) (hhmmss % 100));
  return g_strdup_printf ("%02d:%02d", (int) (hhmmss / 10000), (int) (hhmmss / 100 % 100));
}

/* Exactly "HH:MM", so "9:00" or "09:00:30" in a config file is caught, not guessed at. */
static gboolean
parse_time (const char *text,
            guint32    *hhmmss)
{
  guint hours;
  guint minutes;

  if (strlen (text) != 5 || text[2] != ':'
      || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1])
      || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  hours = (guint) (text[0] - '0') * 10 + (guint) (text[1] - '0');
  minutes = (guint) (text[3] - '0') * 10 + (guint) (text[4] - '0');
  if (hours > 23 || minutes > 59)
    return FALSE;

  *hhmmss = hours * 10000 + minutes * 100;
  return TRUE;
}

/* Whole minutes only: the schema and key files store "HH:MM". */
static gboolean
is_valid_time (gint64 hhmmss)
{
  return hhmmss >= 0 && hhmmss / 10000 < 24 && hhmmss / 100 % 100 < 60 && hhmmss % 100 == 0;
}

static char *
join_choices (const Choice *choices)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) nicks = NULL;

  for (const Choice *c = choices; c->nick != NULL; c++)
    g_strv_builder_add (builder, c->nick);
  nicks = g_strv_builder_end (builder);
  return g_strjoinv (", ", nicks);
}

static const char *
choice_nick (const KeyInfo *info,
             int            value)
{
  for (const Choice *c = info->choices; c->nick != NULL; c++)
    {
      if (c->value == value)
        return c->nick;
    }
  return NULL;
}

static void
set_range_error (const KeyInfo  *info,
                 const char     *shown,
                 GError        **error)
{
  if (info->kind == KIND_TIME)
    {
      g_autofree char *min = format_time (info->min);
      g_autofree char *max = format_time (info->max);

      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                   /* Translators: group, key (not translated), value, minimum, maximum (HH:MM) */
                   _("[%s] %s = %s is out of range: %s to %s (Korea time)"),
                   info->group, info->name, shown, min, max);
    }
  else
    {
      g_autofree char *min = format_int (info->min);
      g_autofree char *max = format_int (info->max);

      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                   /* Translators: group and key (not translated), value, min, max, unit */
                   _("[%s] %s = %s is out of range: %s to %s (%s)"),
                   info->group, info->name, shown, min, max, _(info->unit));
    }
}

static gboolean
check_number (const KeyInfo  *info,
              gint64          value,
              GError        **error)
{
  g_autofree char *shown = NULL;

  if (info->kind == KIND_BOOLEAN)
    return TRUE;

  if (info->kind == KIND_CHOICE)
    {
      g_autofree char *allowed = NULL;

      if (choice_nick (info, (int) value) != NULL)
        return TRUE;
      allowed = join_choices (info->choices);
      shown = format_int (value);
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                   /* Translators: group and key (not translated), value, the allowed values */
                   _("[%s] %s = %s is not one of: %s"),
                   info->group, info->name, shown, allowed);
      return FALSE;
    }

  if (info->kind == KIND_TIME && !is_valid_time (value))
    {
      g_autofree char *min = format_time (info->min);
      g_autofree char *max = format_time (info->max);

      shown = format_time (value);
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                   /* Translators: group, key (not translated), value, earliest, latest (HH:MM) */
                   _("[%s] %s = %s is not a time: use HH:MM, from %s to %s"),
                   info->group, info->name, shown, min, max);
      return FALSE;
    }

  if (value >= info->min && value <= info->max)
    return TRUE;

  shown = info->kind == KIND_TIME ? format_time (value) : format_int (value);
  set_range_error (info, shown, error);
  return FALSE;
}

static gboolean
check_url (const KeyInfo  *info,
           const char     *text,
           GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *allowed = NULL;
  const char *scheme;

  if (is_empty (text))
    return TRUE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  /* Not echoed: whatever is before the @ may be a password. */
  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                   _("[%s] %s must not contain a user name or password: "
                     "credentials belong in the keyring"),
                   info->group, info->name);
      return FALSE;
    }

  for (const Choice *c = info->choices; scheme != NULL && c->nick != NULL; c++)
    {
      if (g_ascii_strcasecmp (scheme, c->nick) == 0
          && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
        return TRUE;
    }

  allowed = join_choices (info->choices);
  g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
               /* Translators: group and key (not translated), value, the allowed URL schemes */
               _("[%s] %s = “%s” is not a URL with a host and one of the schemes: %s"),
               info->group, info->name, text, allowed);
  return FALSE;
}

static gboolean
check_key (const HogaSettings  *self,
           const KeyInfo       *info,
           GError             **error)
{
  switch (info->kind)
    {
    case KIND_TEXT:
      return TRUE;
    case KIND_URL:
      return check_url (info, *text_field (self, info), error);
    case KIND_BOOLEAN:
    case KIND_INT:
    case KIND_UINT:
    case KIND_INT64:
    case KIND_CHOICE:
    case KIND_TIME:
    default:
      return check_number (info, get_number (self, info), error);
    }
}

static gboolean
store_number (HogaSettings   *self,
              const KeyInfo  *info,
              gint64          value,
              GError        **error)
{
  if (!check_number (info, value, error))
    return FALSE;
  set_number (self, info, value);
  return TRUE;
}

/* Choices, times, text and URLs, as written in a key file or stored in GSettings. */
static gboolean
store_text (HogaSettings   *self,
            const KeyInfo  *info,
            const char     *text,
            GError        **error)
{
  switch (info->kind)
    {
    case KIND_CHOICE:
      {
        g_autofree char *allowed = NULL;

        for (const Choice *c = info->choices; c->nick != NULL; c++)
          {
            if (g_str_equal (c->nick, text))
              {
                set_number (self, info, c->value);
                return TRUE;
              }
          }
        allowed = join_choices (info->choices);
        g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                     /* Translators: group and key (not translated), value, the allowed values */
                     _("[%s] %s = “%s” is not one of: %s"),
                     info->group, info->name, text, allowed);
        return FALSE;
      }

    case KIND_TIME:
      {
        guint32 hhmmss;

        if (!parse_time (text, &hhmmss))
          {
            g_autofree char *min = format_time (info->min);
            g_autofree char *max = format_time (info->max);

            g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                         /* Translators: group, key, value, earliest, latest (HH:MM) */
                         _("[%s] %s = “%s” is not a time: use HH:MM, from %s to %s"),
                         info->group, info->name, text, min, max);
            return FALSE;
          }
        return store_number (self, info, hhmmss, error);
      }

    case KIND_URL:
      if (!check_url (info, text, error))
        return FALSE;
      G_GNUC_FALLTHROUGH;
    case KIND_TEXT:
      g_free (*text_field (self, info));
      *text_field (self, info) = g_strdup (text);
      return TRUE;

    case KIND_BOOLEAN:
    case KIND_INT:
    case KIND_UINT:
    case KIND_INT64:
    default:
      g_assert_not_reached ();
    }
}

static void
set_default (HogaSettings  *self,
             const KeyInfo *info)
{
  g_autoptr(GError) error = NULL;
  gboolean stored;

  if (info->kind == KIND_CHOICE || info->kind == KIND_TIME
      || info->kind == KIND_TEXT || info->kind == KIND_URL)
    stored = store_text (self, info, info->default_text, &error);
  else
    stored = store_number (self, info, info->default_number, &error);

  /* The table is wrong, not the user: the tests exercise every default. */
  if (!stored)
    g_error ("invalid default: %s", error->message);
}

static gboolean
looks_like_credential (const char *name)
{
  static const char * const words[] = { "key", "secret", "token", "password", NULL };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (strstr (lower, words[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a);
  gsize lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;

  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = a[i - 1] == b[j - 1] ? 0 : 1;

          row[j] = MIN (MIN (above + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

static void
set_unknown_key_error (const char  *group,
                       const char  *name,
                       GError     **error)
{
  const KeyInfo *closest = NULL;
  guint best = G_MAXUINT;

  /* Credentials must never sit in a plain file; say where they go instead of "did you
   * mean". The value is not repeated. */
  if (looks_like_credential (name))
    {
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
                   _("[%s] %s: credentials are never read from the configuration file; "
                     "set KIWOOM_APPKEY and KIWOOM_SECRETKEY in the environment "
                     "or store them in the keyring"),
                   group, name);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_str_equal (keys[i].name, name))
        {
          g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
                       /* Translators: group, key, the key’s group (not translated) */
                       _("[%s] %s is not a known key: it belongs in [%s]"),
                       group, name, keys[i].group);
          return;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint distance;

      if (!g_str_equal (keys[i].group, group))
        continue;
      distance = edit_distance (name, keys[i].name);
      if (distance < best)
        {
          best = distance;
          closest = &keys[i];
        }
    }

  if (closest != NULL && best <= 3)
    g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
                 /* Translators: group, the unknown key, the closest known key (not translated) */
                 _("[%s] %s is not a known key: did you mean %s?"),
                 group, name, closest->name);
  else
    g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
                 _("[%s] %s is not a known key"), group, name);
}

static gboolean
load_key_file_value (HogaSettings   *self,
                     GKeyFile       *key_file,
                     const KeyInfo  *info,
                     GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  switch (info->kind)
    {
    case KIND_BOOLEAN:
      {
        gboolean value = g_key_file_get_boolean (key_file, info->group, info->name,
                                                 &local_error);

        if (local_error != NULL)
          {
            g_autofree char *raw = g_key_file_get_value (key_file, info->group, info->name,
                                                         NULL);

            g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                         _("[%s] %s = “%s” is not true or false"),
                         info->group, info->name, raw != NULL ? raw : "");
            return FALSE;
          }
        return store_number (self, info, value, error);
      }

    case KIND_INT:
    case KIND_UINT:
    case KIND_INT64:
      {
        g_autofree char *raw = g_key_file_get_value (key_file, info->group, info->name,
                                                     NULL);
        g_autofree char *min = format_int (info->min);
        g_autofree char *max = format_int (info->max);
        gint64 value;

        /* No thousands separators, units or trailing comments: "1,000,000" or "3%" would
         * otherwise be read as something else. */
        if (raw == NULL
            || !g_ascii_string_to_signed (g_strstrip (raw), 10, G_MININT64, G_MAXINT64,
                                          &value, NULL))
          {
            g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                         /* Translators: group and key (not translated), value, min, max, unit */
                         _("[%s] %s = “%s” is not a whole number: %s to %s (%s)"),
                         info->group, info->name, raw != NULL ? raw : "",
                         min, max, _(info->unit));
            return FALSE;
          }
        return store_number (self, info, value, error);
      }

    case KIND_CHOICE:
    case KIND_TIME:
    case KIND_TEXT:
    case KIND_URL:
    default:
      {
        g_autofree char *text = g_key_file_get_string (key_file, info->group, info->name,
                                                       &local_error);

        if (text == NULL)
          {
            g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                         "[%s] %s: %s", info->group, info->name, local_error->message);
            return FALSE;
          }
        if (info->kind != KIND_TEXT)
          g_strstrip (text);
        return store_text (self, info, text, error);
      }
    }
}

static gboolean
load_gsettings_value (HogaSettings     *self,
                      GSettings        *child,
                      GSettingsSchema  *schema,
                      const KeyInfo    *info,
                      GError          **error)
{
  g_autoptr(GVariant) value = NULL;
  const char *schema_id = g_settings_schema_get_id (schema);

  /* An installed schema older or newer than this program: GSettings would abort on a
   * missing key, and a key of another type would be read as something else. */
  if (!g_settings_schema_has_key (schema, info->name))
    {
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
                   _("[%s] %s is missing from the installed schema %s: reinstall Hoga"),
                   info->group, info->name, schema_id);
      return FALSE;
    }

  value = g_settings_get_value (child, info->name);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return store_number (self, info, g_variant_get_boolean (value), error);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return store_number (self, info, g_variant_get_int32 (value), error);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return store_number (self, info, g_variant_get_uint32 (value), error);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return store_number (self, info, g_variant_get_int64 (value), error);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return store_text (self, info, g_variant_get_string (value, NULL), error);

  g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
               _("[%s] %s has the type “%s” in the installed schema %s: reinstall Hoga"),
               info->group, info->name, g_variant_get_type_string (value), schema_id);
  return FALSE;
}

static char *
describe_type (const KeyInfo *info)
{
  g_autofree char *allowed = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;

  switch (info->kind)
    {
    case KIND_BOOLEAN:
      return g_strdup (_("true or false"));
    case KIND_INT:
    case KIND_UINT:
    case KIND_INT64:
      min = format_int (info->min);
      max = format_int (info->max);
      /* Translators: minimum, maximum, unit, e.g. "whole number, 1 to 5000 basis points" */
      return g_strdup_printf (_("whole number, %s to %s %s"), min, max, _(info->unit));
    case KIND_CHOICE:
      allowed = join_choices (info->choices);
      return g_strdup_printf (_("one of: %s"), allowed);
    case KIND_TIME:
      min = format_time (info->min);
      max = format_time (info->max);
      return g_strdup_printf (_("HH:MM, %s to %s Korea time"), min, max);
    case KIND_URL:
      allowed = join_choices (info->choices);
      return g_strdup_printf (_("URL (%s), or empty"), allowed);
    case KIND_TEXT:
    default:
      return g_strdup (_("text, or empty"));
    }
}

/**
 * hoga_settings_new:
 *
 * Returns: (transfer full): settings holding every key's default, the schema's defaults
 */
HogaSettings *
hoga_settings_new (void)
{
  HogaSettings *self = g_new0 (HogaSettings, 1);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    set_default (self, &keys[i]);
  return self;
}

/**
 * hoga_settings_copy:
 * @self: settings
 *
 * Returns: (transfer full): a deep copy of @self
 */
HogaSettings *
hoga_settings_copy (const HogaSettings *self)
{
  HogaSettings *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (keys[i].kind == KIND_TEXT || keys[i].kind == KIND_URL)
        *text_field (copy, &keys[i]) = g_strdup (*text_field (self, &keys[i]));
    }
  return copy;
}

void
hoga_settings_free (HogaSettings *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (keys[i].kind == KIND_TEXT || keys[i].kind == KIND_URL)
        g_free (*text_field (self, &keys[i]));
    }
  g_free (self);
}

/**
 * hoga_settings_validate:
 * @self: settings
 * @error: the first problem, naming the key and what it allows
 *
 * Checks every key against its range and the keys against each other: the trading
 * window's start before its end, amount-per-stock within max-order-value, the custom
 * profile's URLs, the mock server's single venue, and a buy condition for auto-buy.
 *
 * Returns: %TRUE when @self is safe to trade with
 */
gboolean
hoga_settings_validate (const HogaSettings  *self,
                        GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (!check_key (self, &keys[i], error))
        return FALSE;
    }

  if (self->profile == HOGA_PROFILE_CUSTOM
      && (is_empty (self->rest_url) || is_empty (self->ws_url)))
    {
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT,
                   _("[broker] profile = custom needs both rest-url and ws-url"));
      return FALSE;
    }

  if (self->profile == HOGA_PROFILE_MOCK && self->venue != HOGA_VENUE_KRX)
    {
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT,
                   _("[broker] venue = %s is not available with profile = mock: "
                     "the mock server supports KRX only"),
                   choice_nick (find_key ("broker", "venue"), self->venue));
      return FALSE;
    }

  if (self->trading_window_start >= self->trading_window_end)
    {
      g_autofree char *start = format_time (self->trading_window_start);
      g_autofree char *end = format_time (self->trading_window_end);

      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT,
                   _("[strategy] trading-window-start = %s must be before trading-window-end = %s"),
                   start, end);
      return FALSE;
    }

  /* Otherwise the risk guard would refuse every automatic buy, one log line at a time. */
  if (self->amount_per_stock > self->max_order_value)
    {
      g_autofree char *amount = format_int (self->amount_per_stock);
      g_autofree char *limit = format_int (self->max_order_value);

      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT,
                   _("[strategy] amount-per-stock = %s "
                     "must not exceed [risk] max-order-value = %s (KRW)"),
                   amount, limit);
      return FALSE;
    }

  if (self->auto_buy && is_empty (self->buy_condition) && is_empty (self->buy_condition_seq))
    {
      g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT,
                   _("[strategy] auto-buy = true needs buy-condition or buy-condition-seq"));
      return FALSE;
    }

  return TRUE;
}

/**
 * hoga_settings_load_key_file:
 * @key_file: the headless configuration: groups [broker], [strategy], [risk]
 * @error: the first problem, naming the key and what it allows
 *
 * Keys left out keep their default. An unknown group or key is an error, so that a typo
 * in a risk key cannot silently leave the default in force; a key that looks like a
 * credential gets an error saying where credentials belong.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error set
 */
HogaSettings *
hoga_settings_load_key_file (GKeyFile  *key_file,
                             GError   **error)
{
  g_autoptr(HogaSettings) self = NULL;
  g_auto(GStrv) file_groups = NULL;

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = hoga_settings_new ();
  file_groups = g_key_file_get_groups (key_file, NULL);

  for (guint g = 0; file_groups[g] != NULL; g++)
    {
      g_auto(GStrv) names = NULL;

      if (!is_group (file_groups[g]))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) groups);

          g_set_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_GROUP,
                       _("[%s] is not a known group: use %s"), file_groups[g], known);
          return NULL;
        }

      names = g_key_file_get_keys (key_file, file_groups[g], NULL, NULL);
      for (guint k = 0; names != NULL && names[k] != NULL; k++)
        {
          const KeyInfo *info = find_key (file_groups[g], names[k]);

          if (info == NULL)
            {
              set_unknown_key_error (file_groups[g], names[k], error);
              return NULL;
            }
          if (!load_key_file_value (self, key_file, info, error))
            return NULL;
        }
    }

  if (!hoga_settings_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * hoga_settings_load_gsettings:
 * @settings: a #GSettings for %HOGA_SETTINGS_SCHEMA_ID
 * @error: the first problem, naming the key and what it allows
 *
 * Reads the broker, strategy and risk children. The schema enforces numeric ranges; the
 * format of times and URLs and the checks across keys can only be made here, so a value
 * written with dconf or gsettings by hand is reported rather than traded on.
 * auto_buy is always %FALSE: it is not stored.
 *
 * Returns: (transfer full) (nullable): the settings, or %NULL with @error set
 */
HogaSettings *
hoga_settings_load_gsettings (GSettings  *settings,
                              GError    **error)
{
  g_autoptr(HogaSettings) self = NULL;
  g_autofree char *schema_id = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_object_get (settings, "schema-id", &schema_id, NULL);
  g_return_val_if_fail (g_strcmp0 (schema_id, HOGA_SETTINGS_SCHEMA_ID) == 0, NULL);

  self = hoga_settings_new ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autoptr(GSettings) child = g_settings_get_child (settings, groups[g]);
      g_autoptr(GSettingsSchema) schema = NULL;

      g_object_get (child, "settings-schema", &schema, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          if (!g_str_equal (keys[i].group, groups[g]) || keys[i].key_file_only)
            continue;
          if (!load_gsettings_value (self, child, schema, &keys[i], error))
            return NULL;
        }
    }

  if (!hoga_settings_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * hoga_settings_get_value:
 * @self: settings
 * @group: "broker", "strategy" or "risk"
 * @key: a key of @group
 *
 * The value as GSettings stores it: b, i, u or x for numbers, the nick for choices,
 * "HH:MM" for times.
 *
 * Returns: (transfer full) (nullable): a non-floating #GVariant, or %NULL for an unknown key
 */
GVariant *
hoga_settings_get_value (const HogaSettings *self,
                         const char         *group,
                         const char         *key)
{
  const KeyInfo *info;
  GVariant *value;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  info = find_key (group, key);
  if (info == NULL)
    return NULL;

  switch (info->kind)
    {
    case KIND_BOOLEAN:
      value = g_variant_new_boolean (get_number (self, info) != 0);
      break;
    case KIND_INT:
      value = g_variant_new_int32 ((gint32) get_number (self, info));
      break;
    case KIND_UINT:
      value = g_variant_new_uint32 ((guint32) get_number (self, info));
      break;
    case KIND_INT64:
      value = g_variant_new_int64 (get_number (self, info));
      break;
    case KIND_CHOICE:
      value = g_variant_new_string (choice_nick (info, (int) get_number (self, info)));
      break;
    case KIND_TIME:
      value = g_variant_new_take_string (format_time (get_number (self, info)));
      break;
    case KIND_TEXT:
    case KIND_URL:
    default:
      value = g_variant_new_string (is_empty (*text_field (self, info)) ? ""
                                                                   : *text_field (self, info));
      break;
    }
  return g_variant_ref_sink (value);
}

/**
 * hoga_settings_list_groups:
 *
 * Returns: (transfer none): the groups of the key file, which are also the children of
 *   the GSettings schema: broker, strategy, risk
 */
const char * const *
hoga_settings_list_groups (void)
{
  return groups;
}

/**
 * hoga_settings_list_keys:
 * @group: a group from hoga_settings_list_groups()
 *
 * Returns: (transfer full): the keys of @group, including those only a key file has
 */
char **
hoga_settings_list_keys (const char *group)
{
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (group != NULL && is_group (group), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (g_str_equal (keys[i].group, group))
        g_strv_builder_add (builder, keys[i].name);
    }
  return g_strv_builder_end (builder);
}

/**
 * hoga_settings_describe_keys:
 *
 * The reference for the headless configuration file, for --help: every group and key
 * with its type, range and default, written as a key file line.
 *
 * Returns: (transfer full): translated text
 */
char *
hoga_settings_describe_keys (void)
{
  g_autoptr(HogaSettings) defaults = hoga_settings_new ();
  GString *text = g_string_new (NULL);

  g_string_append (text, _("The configuration file is a key file with the groups [broker], "
                           "[strategy] and [risk], using the desktop app’s setting names. "
                           "A key left out keeps the default shown; an unknown group or key "
                           "is an error. Credentials are never read from it: set "
                           "KIWOOM_APPKEY and KIWOOM_SECRETKEY, or store them in the keyring "
                           "with the desktop app."));
  g_string_append_c (text, '\n');

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_string_append_printf (text, "\n[%s]\n", groups[g]);

      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          const KeyInfo *info = &keys[i];
          g_autoptr(GVariant) value = NULL;
          g_autofree char *shown = NULL;
          g_autofree char *type = NULL;

          if (!g_str_equal (info->group, groups[g]))
            continue;

          value = hoga_settings_get_value (defaults, info->group, info->name);
          shown = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                  ? g_strdup (g_variant_get_string (value, NULL))
                  : g_variant_print (value, FALSE);
          type = describe_type (info);

          g_string_append_printf (text, "  %s=%s\n      %s: %s", info->name, shown,
                                  _(info->summary), type);
          if (info->note != NULL)
            g_string_append_printf (text, "; %s", _(info->note));
          g_string_append_c (text, '\n');
        }
    }

  return g_string_free (text, FALSE);
}

/**
 * hoga_settings_get_rate_limit:
 * @self: settings
 *
 * Returns: REST requests per second per API id: rate-limit, or the profile's default
 */
guint
hoga_settings_get_rate_limit (const HogaSettings *self)
{
  g_return_val_if_fail (self != NULL, 1);

  if (self->rate_limit > 0)
    return self->rate_limit;

  /* Kiwoom's mock server allows far fewer requests than the real one. */
  return self->profile == HOGA_PROFILE_MOCK ? 1 : 5;
}

/**
 * hoga_settings_fill_entry:
 * @self: settings
 * @entry: (out caller-allocates): the entry rules' settings
 *
 * @entry->auto_buy is @self->auto_buy: what the config file says headless, %FALSE from
 * GSettings. The engine overrides it with its switch at run time.
 */
void
hoga_settings_fill_entry (const HogaSettings *self,
                          HogaEntrySettings  *entry)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (entry != NULL);

  *entry = (HogaEntrySettings) {
    .auto_buy = self->auto_buy,
    .window_start_hhmmss = self->trading_window_start,
    .window_end_hhmmss = self->trading_window_end,
    .max_positions = self->max_positions,
    .amount_per_stock = self->amount_per_stock,
    .order_type = self->buy_type,
    .limit_offset_ticks = self->buy_limit_offset_ticks,
    .allow_reentry = self->allow_reentry,
    .buy_snapshot_members = self->buy_snapshot_members,
    .cooldown_s = self->cooldown_s,
  };
}

/**
 * hoga_settings_fill_exit:
 * @self: settings
 * @exit_settings: (out caller-allocates): the exit rules' settings
 */
void
hoga_settings_fill_exit (const HogaSettings *self,
                         HogaExitSettings   *exit_settings)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (exit_settings != NULL);

  *exit_settings = (HogaExitSettings) {
    .stop_loss_bp = self->stop_loss_bp,
    .trailing_start_bp = self->trailing_start_bp,
    .trailing_drop_bp = self->trailing_drop_bp,
    .take_profit_bp = self->take_profit_bp,
    .end_of_day = self->end_of_day_sell,
    .end_of_day_hhmmss = self->end_of_day_time,
  };
}

gboolean
hoga_settings_broker_equal (const HogaSettings *a,
                            const HogaSettings *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->profile == b->profile
         && g_strcmp0 (a->rest_url, b->rest_url) == 0
         && g_strcmp0 (a->ws_url, b->ws_url) == 0
         && a->rate_limit == b->rate_limit
         && a->venue == b->venue;
}
