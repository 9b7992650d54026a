/* test-settings.c — settings from GSettings and key files, checked against the schema;
 * KRX holidays
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "hoga-holidays.h"
#include "hoga-settings.h"

/* Keys the headless configuration has and the schema deliberately has not. */
static const char * const key_file_only[] = { "auto-buy", NULL };

static GSettingsSchema *
lookup_schema (const char *id)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema;

  if (source == NULL)
    g_error ("no GSettings schemas: set GSETTINGS_SCHEMA_DIR to the compiled schema");
  schema = g_settings_schema_source_lookup (source, id, TRUE);
  if (schema == NULL)
    g_error ("schema %s not found: set GSETTINGS_SCHEMA_DIR to the compiled schema", id);
  return schema;
}

/* GSettings reads summaries and descriptions from the .gschema.xml next to
 * gschemas.compiled, not from the compiled file. */
static const char *
key_summary (GSettingsSchemaKey *key)
{
  const char *summary = g_settings_schema_key_get_summary (key);

  if (summary == NULL)
    g_error ("key %s has no summary, or the .gschema.xml is not beside gschemas.compiled "
             "in GSETTINGS_SCHEMA_DIR", g_settings_schema_key_get_name (key));
  return summary;
}

static GSettingsSchema *
lookup_child_schema (const char *group)
{
  g_autofree char *id = g_strdup_printf ("%s.%s", HOGA_SETTINGS_SCHEMA_ID, group);

  return lookup_schema (id);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static HogaSettings *
load_file (const char  *name,
           GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = data_path (name);

  g_assert_true (g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL));
  return hoga_settings_load_key_file (key_file, error);
}

static HogaSettings *
load_text (const char  *text,
           GError     **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  g_assert_true (g_key_file_load_from_data (key_file, text, -1, G_KEY_FILE_NONE, NULL));
  return hoga_settings_load_key_file (key_file, error);
}

static void
assert_error_message (GError     *error,
                      GQuark      domain,
                      int         code,
                      const char *message)
{
  g_assert_nonnull (error);
  if (error->domain != domain || error->code != code || g_strcmp0 (error->message, message) != 0)
    g_error ("expected “%s” (%s %d), got “%s” (%s %d)", message,
             g_quark_to_string (domain), code, error->message,
             g_quark_to_string (error->domain), error->code);
}

static void
assert_settings_equal (const HogaSettings *a,
                       const HogaSettings *b)
{
  const char * const *groups = hoga_settings_list_groups ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GVariant) va = hoga_settings_get_value (a, groups[g], keys[k]);
          g_autoptr(GVariant) vb = hoga_settings_get_value (b, groups[g], keys[k]);

          if (!g_variant_equal (va, vb))
            {
              g_autofree char *sa = g_variant_print (va, TRUE);
              g_autofree char *sb = g_variant_print (vb, TRUE);

              g_error ("[%s] %s: %s ≠ %s", groups[g], keys[k], sa, sb);
            }
        }
    }
}

static void
test_defaults_equal_schema (void)
{
  g_autoptr(HogaSettings) defaults = hoga_settings_new ();
  const char * const *groups = hoga_settings_list_groups ();
  guint n_checked = 0;

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autoptr(GSettingsSchema) schema = lookup_child_schema (groups[g]);
      g_auto(GStrv) schema_keys = g_settings_schema_list_keys (schema);
      g_auto(GStrv) table_keys = hoga_settings_list_keys (groups[g]);

      /* Every schema key has a typed value whose default is the schema's … */
      for (guint k = 0; schema_keys[k] != NULL; k++)
        {
          g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, schema_keys[k]);
          g_autoptr(GVariant) schema_default = g_settings_schema_key_get_default_value (key);
          g_autoptr(GVariant) value = hoga_settings_get_value (defaults, groups[g],
                                                               schema_keys[k]);

          if (value == NULL)
            g_error ("[%s] %s is in the schema but not in HogaSettings", groups[g],
                     schema_keys[k]);
          if (!g_variant_equal (schema_default, value))
            {
              g_autofree char *a = g_variant_print (schema_default, TRUE);
              g_autofree char *b = g_variant_print (value, TRUE);

              g_error ("[%s] %s: schema default %s, HogaSettings default %s",
                       groups[g], schema_keys[k], a, b);
            }
          n_checked++;
        }

      /* … and every HogaSettings key is in the schema, except the key-file-only ones. */
      for (guint k = 0; table_keys[k] != NULL; k++)
        {
          gboolean in_schema = g_settings_schema_has_key (schema, table_keys[k]);

          if (g_strv_contains (key_file_only, table_keys[k]))
            g_assert_false (in_schema);
          else if (!in_schema)
            g_error ("[%s] %s is in HogaSettings but not in the schema", groups[g],
                     table_keys[k]);
        }
    }

  g_assert_cmpuint (n_checked, >, 30);
}

static void
test_ranges_equal_schema (void)
{
  const char * const *groups = hoga_settings_list_groups ();

  /* A value one past either end of the schema's range must fail with exactly that range,
   * and both ends must load: so the table's ranges cannot drift from the schema's. */
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autoptr(GSettingsSchema) schema = lookup_child_schema (groups[g]);
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[k]);
          g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
          g_autoptr(GVariant) limits = NULL;
          const char *kind;

          g_variant_get (range, "(&sv)", &kind, &limits);

          if (g_str_equal (kind, "range"))
            {
              gint64 ends[2];

              for (guint e = 0; e < 2; e++)
                {
                  g_autoptr(GVariant) end = g_variant_get_child_value (limits, e);

                  if (g_variant_is_of_type (end, G_VARIANT_TYPE_INT32))
                    ends[e] = g_variant_get_int32 (end);
                  else if (g_variant_is_of_type (end, G_VARIANT_TYPE_UINT32))
                    ends[e] = g_variant_get_uint32 (end);
                  else
                    ends[e] = g_variant_get_int64 (end);
                }

              for (guint e = 0; e < 2; e++)
                {
                  g_autoptr(GError) error = NULL;
                  g_autofree char *inside = NULL;
                  g_autofree char *outside = NULL;
                  g_autoptr(HogaSettings) ok = NULL;
                  g_autoptr(HogaSettings) bad = NULL;
                  g_autofree char *prefix = NULL;
                  gint64 value = e == 0 ? ends[0] - 1 : ends[1] + 1;

                  /* Ends that conflict with another key's default are covered elsewhere. */
                  if (!g_str_equal (keys[k], "amount-per-stock")
                      && !g_str_equal (keys[k], "max-order-value"))
                    {
                      inside = g_strdup_printf ("[%s]\n%s=%" G_GINT64_FORMAT "\n", groups[g],
                                                keys[k], ends[e]);
                      ok = load_text (inside, &error);
                      g_assert_no_error (error);
                      g_assert_nonnull (ok);
                    }

                  outside = g_strdup_printf ("[%s]\n%s=%" G_GINT64_FORMAT "\n", groups[g],
                                             keys[k], value);
                  bad = load_text (outside, &error);
                  g_assert_null (bad);
                  g_assert_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE);
                  prefix = g_strdup_printf ("[%s] %s = %" G_GINT64_FORMAT " is out of range: %"
                                            G_GINT64_FORMAT " to %" G_GINT64_FORMAT " (",
                                            groups[g], keys[k], value, ends[0], ends[1]);
                  if (!g_str_has_prefix (error->message, prefix))
                    g_error ("expected “%s…”, got “%s”", prefix, error->message);
                }
            }
          else if (g_str_equal (kind, "enum"))
            {
              g_autofree const char **nicks = g_variant_get_strv (limits, NULL);
              g_auto(GStrv) listed = NULL;
              g_autofree char *bad_text = NULL;
              g_autofree char *expected = NULL;
              g_autoptr(HogaSettings) bad = NULL;
              g_autoptr(GError) error = NULL;

              for (guint n = 0; nicks[n] != NULL; n++)
                {
                  g_autoptr(GString) text = g_string_new (NULL);
                  g_autoptr(HogaSettings) ok = NULL;
                  g_autoptr(GVariant) value = NULL;
                  g_autoptr(GError) nick_error = NULL;

                  /* URLs so that profile=custom is complete. */
                  g_string_append (text, "[broker]\nrest-url=https://a.example\n"
                                         "ws-url=wss://a.example\n");
                  if (!g_str_equal (groups[g], "broker"))
                    g_string_append_printf (text, "[%s]\n", groups[g]);
                  g_string_append_printf (text, "%s=%s\n", keys[k], nicks[n]);
                  ok = load_text (text->str, &nick_error);
                  g_assert_no_error (nick_error);
                  value = hoga_settings_get_value (ok, groups[g], keys[k]);
                  g_assert_cmpstr (g_variant_get_string (value, NULL), ==, nicks[n]);
                }

              bad_text = g_strdup_printf ("[%s]\n%s=bogus\n", groups[g], keys[k]);
              bad = load_text (bad_text, &error);
              g_assert_null (bad);
              g_assert_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE);
              expected = g_strdup_printf ("[%s] %s = “bogus” is not one of: ",
                                          groups[g], keys[k]);
              g_assert_true (g_str_has_prefix (error->message, expected));

              /* The same choices as the schema's, in any order. */
              listed = g_strsplit (error->message + strlen (expected), ", ", -1);
              g_assert_cmpuint (g_strv_length (listed), ==, g_strv_length ((GStrv) nicks));
              for (guint n = 0; nicks[n] != NULL; n++)
                g_assert_true (g_strv_contains ((const char * const *) listed, nicks[n]));
            }
        }
    }
}

static void
test_schema_keys_documented (void)
{
  static const char * const children[] = { "broker", "strategy", "risk", "window-state", NULL };

  /* STYLE.md §13: every key has a summary and a description, every number a range. */
  for (guint c = 0; children[c] != NULL; c++)
    {
      g_autoptr(GSettingsSchema) schema = lookup_child_schema (children[c]);
      g_auto(GStrv) keys = g_settings_schema_list_keys (schema);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[k]);
          g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
          const GVariantType *type = g_settings_schema_key_get_value_type (key);
          const char *kind;

          g_assert_nonnull (key_summary (key));
          g_assert_nonnull (g_settings_schema_key_get_description (key));
          g_variant_get (range, "(&sv)", &kind, NULL);
          if (g_variant_type_equal (type, G_VARIANT_TYPE_INT32)
              || g_variant_type_equal (type, G_VARIANT_TYPE_UINT32)
              || g_variant_type_equal (type, G_VARIANT_TYPE_INT64))
            g_assert_cmpstr (kind, ==, "range");
        }
    }

  {
    g_autoptr(GSettingsSchema) root = lookup_schema (HOGA_SETTINGS_SCHEMA_ID);
    g_auto(GStrv) children_found = g_settings_schema_list_children (root);

    g_assert_cmpuint (g_strv_length (children_found), ==, g_strv_length ((GStrv) children));
  }
}

static void
test_key_file_good (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSettings) s = load_file ("settings-good.ini", &error);

  g_assert_no_error (error);
  g_assert_nonnull (s);

  g_assert_cmpint (s->profile, ==, HOGA_PROFILE_CUSTOM);
  g_assert_cmpstr (s->rest_url, ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (s->ws_url, ==, "ws://127.0.0.1:8081/api/dostk/websocket");
  g_assert_cmpuint (s->rate_limit, ==, 3);
  g_assert_cmpint (s->venue, ==, HOGA_VENUE_SOR);

  g_assert_true (s->auto_buy);
  g_assert_false (s->auto_sell);
  g_assert_cmpstr (s->buy_condition, ==, "거래량 급증");
  g_assert_cmpstr (s->buy_condition_seq, ==, "0");
  g_assert_cmpstr (s->sell_condition, ==, "고점 대비 하락");
  g_assert_cmpstr (s->sell_condition_seq, ==, "4");
  g_assert_cmpint (s->amount_per_stock, ==, 2500000);
  g_assert_cmpuint (s->max_positions, ==, 8);
  g_assert_cmpint (s->stop_loss_bp, ==, 250);
  g_assert_cmpint (s->trailing_start_bp, ==, 400);
  g_assert_cmpint (s->trailing_drop_bp, ==, 150);
  g_assert_cmpint (s->take_profit_bp, ==, 1200);
  g_assert_cmpint (s->buy_type, ==, HOGA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (s->buy_limit_offset_ticks, ==, 2);
  g_assert_cmpint (s->sell_type, ==, HOGA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (s->sell_limit_offset_ticks, ==, -1);
  g_assert_cmpuint (s->trading_window_start, ==, 90500);
  g_assert_cmpuint (s->trading_window_end, ==, 143000);
  g_assert_true (s->end_of_day_sell);
  g_assert_cmpuint (s->end_of_day_time, ==, 151000);
  g_assert_true (s->buy_snapshot_members);
  g_assert_true (s->allow_reentry);
  g_assert_cmpuint (s->cooldown_s, ==, 120);
  g_assert_cmpuint (s->unfilled_buy_timeout_s, ==, 45);
  g_assert_cmpuint (s->unfilled_sell_timeout_s, ==, 15);
  g_assert_cmpuint (s->sell_retry_cooldown_s, ==, 20);

  g_assert_cmpint (s->max_order_value, ==, 3000000);
  g_assert_cmpuint (s->max_buys_per_day, ==, 1);
  g_assert_cmpint (s->daily_loss_limit_bp, ==, 150);
  g_assert_true (s->flatten_on_daily_loss);
  g_assert_cmpint (s->price_band_bp, ==, 500);
  g_assert_cmpuint (s->staleness_limit_ms, ==, 2500);
}

static void
test_key_file_every_key_set (void)
{
  g_autoptr(HogaSettings) defaults = hoga_settings_new ();
  g_autoptr(HogaSettings) s = load_file ("settings-good.ini", NULL);
  const char * const *groups = hoga_settings_list_groups ();

  /* The good sample sets every key to something else than its default, so that the
   * round trips below cover every key. */
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GVariant) a = hoga_settings_get_value (defaults, groups[g], keys[k]);
          g_autoptr(GVariant) b = hoga_settings_get_value (s, groups[g], keys[k]);

          if (g_variant_equal (a, b))
            g_error ("settings-good.ini leaves [%s] %s at its default", groups[g], keys[k]);
        }
    }
}

static void
test_key_file_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSettings) s = load_file ("settings-minimal.ini", &error);
  g_autoptr(HogaSettings) empty = load_text ("", &error);
  g_autoptr(HogaSettings) defaults = hoga_settings_new ();

  g_assert_no_error (error);
  g_assert_cmpint (s->profile, ==, HOGA_PROFILE_MOCK);
  g_assert_true (s->auto_buy);
  g_assert_cmpstr (s->buy_condition, ==, "상승률 3% 이상");
  g_assert_cmpint (s->stop_loss_bp, ==, defaults->stop_loss_bp);
  g_assert_cmpuint (hoga_settings_get_rate_limit (s), ==, 1);

  assert_settings_equal (empty, defaults);
}

typedef struct {
  const char *file;
  int         code;
  const char *message;
} BadFile;

static void
test_key_file_bad_files (void)
{
  static const BadFile cases[] = {
    { "settings-bad-range.ini", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] stop-loss = 12000 is out of range: 1 to 5000 (basis points)" },
    { "settings-bad-typo.ini", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[risk] daily-los-limit is not a known key: did you mean daily-loss-limit?" },
    { "settings-bad-group.ini", HOGA_SETTINGS_ERROR_UNKNOWN_GROUP,
      "[window-state] is not a known group: use broker, strategy, risk" },
    { "settings-bad-credential.ini", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[broker] appkey: credentials are never read from the configuration file; set "
      "KIWOOM_APPKEY and KIWOOM_SECRETKEY in the environment or store them in the keyring" },
    { "settings-bad-window.ini", HOGA_SETTINGS_ERROR_CONFLICT,
      "[strategy] trading-window-start = 15:00 must be before trading-window-end = 09:30" },
    { "settings-bad-custom.ini", HOGA_SETTINGS_ERROR_CONFLICT,
      "[broker] profile = custom needs both rest-url and ws-url" },
    { "settings-bad-venue.ini", HOGA_SETTINGS_ERROR_CONFLICT,
      "[broker] venue = NXT is not available with profile = mock: the mock server supports "
      "KRX only" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HogaSettings) s = load_file (cases[i].file, &error);

      g_assert_null (s);
      assert_error_message (error, HOGA_SETTINGS_ERROR, cases[i].code, cases[i].message);
      /* The credential's value is never repeated. */
      g_assert_null (strstr (error->message, "not-a-real-key"));
    }
}

typedef struct {
  const char *text;
  int         code;
  const char *message;
} BadText;

static void
test_key_file_bad_values (void)
{
  static const BadText cases[] = {
    { "[strategy]\nstop-loss=0\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] stop-loss = 0 is out of range: 1 to 5000 (basis points)" },
    { "[strategy]\nstop-loss=3%\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] stop-loss = “3%” is not a whole number: 1 to 5000 (basis points)" },
    { "[strategy]\namount-per-stock=1,000,000\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] amount-per-stock = “1,000,000” is not a whole number: 1000 to 1000000000 (KRW)" },
    { "[strategy]\nstop-loss=99999999999999999999\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] stop-loss = “99999999999999999999” is not a whole number: 1 to 5000 (basis points)" },
    { "[strategy]\nmax-positions=-1\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] max-positions = -1 is out of range: 1 to 100 (positions)" },
    { "[strategy]\ntrailing-drop=5001\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] trailing-drop = 5001 is out of range: 1 to 5000 (basis points)" },
    { "[strategy]\nbuy-limit-offset-ticks=11\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] buy-limit-offset-ticks = 11 is out of range: -10 to 10 (ticks)" },
    { "[strategy]\nauto-sell=yes\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] auto-sell = “yes” is not true or false" },
    { "[strategy]\nsell-type=Market\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] sell-type = “Market” is not one of: market, limit" },
    { "[strategy]\ntrading-window-start=9:00\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] trading-window-start = “9:00” is not a time: use HH:MM, from 08:00 to 20:00" },
    { "[strategy]\ntrading-window-end=24:00\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] trading-window-end = “24:00” is not a time: use HH:MM, from 08:00 to 20:00" },
    { "[strategy]\nend-of-day-time=07:59\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[strategy] end-of-day-time = 07:59 is out of range: 08:00 to 20:00 (Korea time)" },
    { "[strategy]\nmax-order-value=1000\n", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[strategy] max-order-value is not a known key: it belongs in [risk]" },
    { "[strategy]\nauto-buy=true\n", HOGA_SETTINGS_ERROR_CONFLICT,
      "[strategy] auto-buy = true needs buy-condition or buy-condition-seq" },
    { "[strategy]\namount-per-stock=6000000\n", HOGA_SETTINGS_ERROR_CONFLICT,
      "[strategy] amount-per-stock = 6000000 must not exceed [risk] max-order-value = 5000000 (KRW)" },
    { "[risk]\ndaily-loss-limit=-100\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[risk] daily-loss-limit = -100 is out of range: 0 to 5000 (basis points)" },
    { "[risk]\nstaleness-limit=100\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[risk] staleness-limit = 100 is out of range: 200 to 600000 (milliseconds)" },
    { "[risk]\nmax-buys-per-day=0\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[risk] max-buys-per-day = 0 is out of range: 1 to 1000 (buys)" },
    { "[risk]\nwhatever=1\n", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[risk] whatever is not a known key" },
    { "[broker]\nrate-limit=101\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[broker] rate-limit = 101 is out of range: 0 to 100 (per second)" },
    { "[broker]\nrest-url=ftp://example.com\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[broker] rest-url = “ftp://example.com” is not a URL with a host and one of the schemes: https, http" },
    { "[broker]\nws-url=example.com:10000\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[broker] ws-url = “example.com:10000” is not a URL with a host and one of the schemes: wss, ws" },
    { "[broker]\nrest-url=https://me:hunter2@example.com\n", HOGA_SETTINGS_ERROR_INVALID_VALUE,
      "[broker] rest-url must not contain a user name or password: credentials belong in the keyring" },
    { "[strategy]\nstop-los=200\n", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[strategy] stop-los is not a known key: did you mean stop-loss?" },
    { "[broker]\nAppKey=x\n", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[broker] AppKey: credentials are never read from the configuration file; set "
      "KIWOOM_APPKEY and KIWOOM_SECRETKEY in the environment or store them in the keyring" },
    { "[broker]\nsecret-key=x\n", HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
      "[broker] secret-key: credentials are never read from the configuration file; set "
      "KIWOOM_APPKEY and KIWOOM_SECRETKEY in the environment or store them in the keyring" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HogaSettings) s = load_text (cases[i].text, &error);

      g_assert_null (s);
      assert_error_message (error, HOGA_SETTINGS_ERROR, cases[i].code, cases[i].message);
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

static void
test_key_file_lenient_spacing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSettings) s = load_text ("[strategy]\nstop-loss = 450 \n"
                                         "buy-condition =  거래량 급증\n"
                                         "sell-type = limit \n", &error);

  g_assert_no_error (error);
  g_assert_cmpint (s->stop_loss_bp, ==, 450);
  g_assert_cmpstr (s->buy_condition, ==, "거래량 급증");
  g_assert_cmpint (s->sell_type, ==, HOGA_ORDER_TYPE_LIMIT);
}

static void
store_in_gsettings (GSettings          *root,
                    const HogaSettings *s)
{
  const char * const *groups = hoga_settings_list_groups ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autoptr(GSettings) child = g_settings_get_child (root, groups[g]);
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autoptr(GVariant) value = NULL;

          if (g_strv_contains (key_file_only, keys[k]))
            continue;
          value = hoga_settings_get_value (s, groups[g], keys[k]);
          g_assert_true (g_settings_set_value (child, keys[k], value));
        }
    }
}

/* The memory backend lives as long as the process: start every test from the defaults. */
static GSettings *
new_reset_settings (void)
{
  GSettings *root = g_settings_new (HOGA_SETTINGS_SCHEMA_ID);
  const char * const *groups = hoga_settings_list_groups ();

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autoptr(GSettings) child = g_settings_get_child (root, groups[g]);
      g_autoptr(GSettingsSchema) schema = NULL;
      g_auto(GStrv) keys = NULL;

      g_object_get (child, "settings-schema", &schema, NULL);
      keys = g_settings_schema_list_keys (schema);
      for (guint k = 0; keys[k] != NULL; k++)
        g_settings_reset (child, keys[k]);
    }
  return root;
}

static void
test_gsettings_defaults (void)
{
  g_autoptr(GSettings) root = new_reset_settings ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSettings) s = hoga_settings_load_gsettings (root, &error);
  g_autoptr(HogaSettings) defaults = hoga_settings_new ();

  g_assert_no_error (error);
  assert_settings_equal (s, defaults);
}

static void
test_gsettings_round_trip (void)
{
  g_autoptr(GSettings) root = new_reset_settings ();
  g_autoptr(HogaSettings) good = load_file ("settings-good.ini", NULL);
  g_autoptr(HogaSettings) loaded = NULL;
  g_autoptr(GSettings) strategy = NULL;
  g_autoptr(GError) error = NULL;

  store_in_gsettings (root, good);
  loaded = hoga_settings_load_gsettings (root, &error);
  g_assert_no_error (error);

  /* Auto-buy is not stored: the desktop app always starts with it off. */
  g_assert_true (good->auto_buy);
  g_assert_false (loaded->auto_buy);
  loaded->auto_buy = TRUE;
  assert_settings_equal (loaded, good);

  /* Enum keys hold HogaOrderType's values. */
  strategy = g_settings_get_child (root, "strategy");
  g_assert_cmpint (g_settings_get_enum (strategy, "sell-type"), ==, HOGA_ORDER_TYPE_LIMIT);

  g_settings_reset (strategy, "sell-type");
  g_clear_pointer (&loaded, hoga_settings_free);
  loaded = hoga_settings_load_gsettings (root, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->sell_type, ==, HOGA_ORDER_TYPE_MARKET);
}

static void
test_gsettings_invalid (void)
{
  g_autoptr(GSettings) root = new_reset_settings ();
  g_autoptr(GSettings) strategy = g_settings_get_child (root, "strategy");
  g_autoptr(GSettings) broker = g_settings_get_child (root, "broker");
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaSettings) s = NULL;

  /* The schema cannot check a time's format or keys against each other: the loader does. */
  g_settings_set_string (strategy, "trading-window-start", "25:00");
  s = hoga_settings_load_gsettings (root, &error);
  g_assert_null (s);
  assert_error_message (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                        "[strategy] trading-window-start = “25:00” is not a time: use HH:MM, "
                        "from 08:00 to 20:00");
  g_clear_error (&error);

  g_settings_set_string (strategy, "trading-window-start", "15:30");
  s = hoga_settings_load_gsettings (root, &error);
  g_assert_null (s);
  assert_error_message (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT,
                        "[strategy] trading-window-start = 15:30 must be before "
                        "trading-window-end = 15:00");
  g_clear_error (&error);
  g_settings_reset (strategy, "trading-window-start");

  g_settings_set_enum (broker, "profile", HOGA_PROFILE_CUSTOM);
  s = hoga_settings_load_gsettings (root, &error);
  g_assert_null (s);
  g_assert_error (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_CONFLICT);
  g_clear_error (&error);
  g_settings_reset (broker, "profile");

  s = hoga_settings_load_gsettings (root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (s);
}

static void
test_gsettings_stale_schema (void)
{
  static const char xml[] =
    "<schemalist>\n"
    "  <schema id='io.github.hoga.Hoga' path='/io/github/hoga/Hoga/'>\n"
    "    <child name='broker' schema='io.github.hoga.Hoga.broker'/>\n"
    "  </schema>\n"
    "  <schema id='io.github.hoga.Hoga.broker' path='/io/github/hoga/Hoga/broker/'>\n"
    "    <key name='profile' type='s'><default>'simulated'</default></key>\n"
    "  </schema>\n"
    "</schemalist>\n";
  g_autofree char *dir = g_dir_make_tmp ("hoga-schema-XXXXXX", NULL);
  g_autofree char *xml_path = g_build_filename (dir, "old.gschema.xml", NULL);
  g_autofree char *compiled_path = g_build_filename (dir, "gschemas.compiled", NULL);
  const char *argv[] = { "glib-compile-schemas", dir, NULL };
  g_autoptr(GSettingsSchemaSource) source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(HogaSettings) s = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* An older Hoga's schema left installed: a missing key is reported, where GSettings
   * itself would abort. */
  g_assert_true (g_file_set_contents (xml_path, xml, -1, NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  source = g_settings_schema_source_new_from_directory (dir, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, HOGA_SETTINGS_SCHEMA_ID, FALSE);
  settings = g_settings_new_full (schema, NULL, NULL);

  s = hoga_settings_load_gsettings (settings, &error);
  g_assert_null (s);
  assert_error_message (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_UNKNOWN_KEY,
                        "[broker] rest-url is missing from the installed schema "
                        "io.github.hoga.Hoga.broker: reinstall Hoga");

  g_assert_cmpint (g_remove (compiled_path), ==, 0);
  g_assert_cmpint (g_remove (xml_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_validate (void)
{
  g_autoptr(HogaSettings) s = hoga_settings_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (hoga_settings_validate (s, &error));
  g_assert_no_error (error);

  /* Settings built or changed in code get the same checks as loaded ones. */
  s->trailing_drop_bp = 0;
  g_assert_false (hoga_settings_validate (s, &error));
  assert_error_message (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                        "[strategy] trailing-drop = 0 is out of range: 1 to 5000 (basis points)");
  g_clear_error (&error);
  s->trailing_drop_bp = 100;

  s->trading_window_end = 90030;
  g_assert_false (hoga_settings_validate (s, &error));
  assert_error_message (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                        "[strategy] trading-window-end = 09:00:30 is not a time: use HH:MM, "
                        "from 08:00 to 20:00");
  g_clear_error (&error);
  s->trading_window_end = 150000;

  s->venue = 7;
  g_assert_false (hoga_settings_validate (s, &error));
  assert_error_message (error, HOGA_SETTINGS_ERROR, HOGA_SETTINGS_ERROR_INVALID_VALUE,
                        "[broker] venue = 7 is not one of: KRX, NXT, SOR");
}

static void
test_copy (void)
{
  g_autoptr(HogaSettings) good = load_file ("settings-good.ini", NULL);
  g_autoptr(HogaSettings) copy = hoga_settings_copy (good);

  assert_settings_equal (copy, good);
  g_assert_true (copy->buy_condition != good->buy_condition);
  g_assert_true (G_TYPE_IS_BOXED (HOGA_TYPE_SETTINGS));
}

static void
test_rate_limit (void)
{
  g_autoptr(HogaSettings) s = hoga_settings_new ();

  g_assert_cmpuint (s->rate_limit, ==, 0);
  s->profile = HOGA_PROFILE_REAL;
  g_assert_cmpuint (hoga_settings_get_rate_limit (s), ==, 5);
  s->profile = HOGA_PROFILE_MOCK;
  g_assert_cmpuint (hoga_settings_get_rate_limit (s), ==, 1);
  s->profile = HOGA_PROFILE_SIMULATED;
  g_assert_cmpuint (hoga_settings_get_rate_limit (s), ==, 5);
  s->rate_limit = 2;
  g_assert_cmpuint (hoga_settings_get_rate_limit (s), ==, 2);
}

static void
test_fill_entry_exit (void)
{
  g_autoptr(HogaSettings) s = load_file ("settings-good.ini", NULL);
  g_autoptr(HogaSettings) defaults = hoga_settings_new ();
  HogaEntrySettings entry;
  HogaExitSettings exit_settings;

  memset (&entry, 0xaa, sizeof entry);
  hoga_settings_fill_entry (s, &entry);
  g_assert_true (entry.auto_buy);
  g_assert_cmpuint (entry.window_start_hhmmss, ==, 90500);
  g_assert_cmpuint (entry.window_end_hhmmss, ==, 143000);
  g_assert_cmpuint (entry.max_positions, ==, 8);
  g_assert_cmpint (entry.amount_per_stock, ==, 2500000);
  g_assert_cmpint (entry.order_type, ==, HOGA_ORDER_TYPE_LIMIT);
  g_assert_cmpint (entry.limit_offset_ticks, ==, 2);
  g_assert_true (entry.allow_reentry);
  g_assert_true (entry.buy_snapshot_members);
  g_assert_cmpuint (entry.cooldown_s, ==, 120);

  memset (&exit_settings, 0xaa, sizeof exit_settings);
  hoga_settings_fill_exit (s, &exit_settings);
  g_assert_cmpint (exit_settings.stop_loss_bp, ==, 250);
  g_assert_cmpint (exit_settings.trailing_start_bp, ==, 400);
  g_assert_cmpint (exit_settings.trailing_drop_bp, ==, 150);
  g_assert_cmpint (exit_settings.take_profit_bp, ==, 1200);
  g_assert_true (exit_settings.end_of_day);
  g_assert_cmpuint (exit_settings.end_of_day_hhmmss, ==, 151000);

  /* The defaults: auto-buy off, market buys, take-profit off, no end-of-day sell. */
  hoga_settings_fill_entry (defaults, &entry);
  g_assert_false (entry.auto_buy);
  g_assert_cmpint (entry.order_type, ==, HOGA_ORDER_TYPE_MARKET);
  g_assert_cmpuint (entry.window_start_hhmmss, ==, 90000);
  g_assert_cmpuint (entry.window_end_hhmmss, ==, 150000);
  hoga_settings_fill_exit (defaults, &exit_settings);
  g_assert_cmpint (exit_settings.take_profit_bp, ==, 0);
  g_assert_false (exit_settings.end_of_day);
  g_assert_cmpuint (exit_settings.end_of_day_hhmmss, ==, 151500);
}

static void
test_describe_keys (void)
{
  g_autofree char *text = hoga_settings_describe_keys ();
  const char * const *groups = hoga_settings_list_groups ();
  guint n_keys = 0;

  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_autoptr(GSettingsSchema) schema = lookup_child_schema (groups[g]);
      g_auto(GStrv) keys = hoga_settings_list_keys (groups[g]);
      g_autofree char *header = g_strdup_printf ("\n[%s]\n", groups[g]);

      g_assert_nonnull (strstr (text, header));

      for (guint k = 0; keys[k] != NULL; k++)
        {
          g_autofree char *line = NULL;

          /* The key, its default as written in a key file, and the schema's summary. */
          if (g_settings_schema_has_key (schema, keys[k]))
            {
              g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[k]);
              g_autoptr(GVariant) value = g_settings_schema_key_get_default_value (key);
              g_autofree char *shown = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
                                       ? g_variant_dup_string (value, NULL)
                                       : g_variant_print (value, FALSE);

              line = g_strdup_printf ("  %s=%s\n      %s: ", keys[k], shown,
                                      key_summary (key));
            }
          else
            {
              line = g_strdup_printf ("  %s=false\n      ", keys[k]);
            }

          if (strstr (text, line) == NULL)
            g_error ("describe_keys lacks “%s”:\n%s", line, text);
          n_keys++;
        }
    }

  g_assert_cmpuint (n_keys, >, 30);
  g_assert_nonnull (strstr (text, "whole number, 1 to 5000 basis points"));
  g_assert_nonnull (strstr (text, "one of: simulated, mock, real, custom"));
  g_assert_nonnull (strstr (text, "HH:MM, 08:00 to 20:00 Korea time"));
  g_assert_nonnull (strstr (text, "KIWOOM_APPKEY"));
}

static GDateTime *
kst (int year,
     int month,
     int day,
     int hour)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (9 * 3600);

  return g_date_time_new (tz, year, month, day, hour, 0, 0);
}

static const char sample_holidays[] =
  "# a comment\n"
  "\n"
  "2025-01-01  # 신정\n"
  "   2025-01-28 # 설날 연휴   \r\n"
  "2027-02-05  # 설날 연휴  # unverified\n";

static void
test_holidays_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HogaHolidays) h = hoga_holidays_new_from_data (sample_holidays, -1, "sample",
                                                           &error);
  g_autoptr(GDateTime) new_year = kst (2025, 1, 1, 10);
  g_autoptr(GDateTime) seollal = kst (2025, 1, 28, 10);
  g_autoptr(GDateTime) ahead = kst (2027, 2, 5, 10);
  g_autoptr(GDateTime) open = kst (2025, 1, 2, 10);
  const char *name = NULL;
  gboolean unverified = TRUE;

  g_assert_no_error (error);
  g_assert_cmpuint (hoga_holidays_get_n_holidays (h), ==, 3);

  g_assert_true (hoga_holidays_lookup (h, new_year, &name, &unverified));
  g_assert_cmpstr (name, ==, "신정");
  g_assert_false (unverified);
  g_assert_true (hoga_holidays_lookup (h, seollal, &name, NULL));
  g_assert_cmpstr (name, ==, "설날 연휴");
  g_assert_true (hoga_holidays_lookup (h, ahead, &name, &unverified));
  g_assert_cmpstr (name, ==, "설날 연휴");
  g_assert_true (unverified);
  g_assert_false (hoga_holidays_lookup (h, open, &name, &unverified));
  g_assert_null (name);
  g_assert_false (unverified);

  /* A length that stops before the last line. */
  g_clear_object (&h);
  h = hoga_holidays_new_from_data (sample_holidays,
                                   strstr (sample_holidays, "2027") - sample_holidays,
                                   "sample", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hoga_holidays_get_n_holidays (h), ==, 2);
}

static void
test_holidays_trading_day (void)
{
  HogaHolidays *h = hoga_holidays_get_default ();
  g_autoptr(GDateTime) holiday = kst (2025, 10, 8, 10);     /* 추석 대체공휴일, Wednesday */
  g_autoptr(GDateTime) open = kst (2025, 10, 10, 10);       /* Friday between holidays */
  g_autoptr(GDateTime) saturday = kst (2025, 10, 11, 10);
  g_autoptr(GDateTime) sunday = kst (2025, 10, 12, 10);
  g_autoptr(GDateTime) election = kst (2026, 6, 3, 10);
  g_autoptr(GDateTime) year_end = kst (2026, 12, 31, 10);
  g_autoptr(GDateTime) last_day = kst (2026, 12, 30, 10);
  g_autoptr(GDateTime) uncovered = kst (2028, 3, 2, 10);
  g_autoptr(GDateTime) before = kst (2024, 12, 30, 10);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  /* 16:00 UTC on the 30th is 01:00 on the 31st in Seoul: the KST date decides. */
  g_autoptr(GDateTime) utc_evening = g_date_time_new (utc, 2025, 12, 30, 16, 0, 0);
  g_autoptr(GDateTime) utc_morning = g_date_time_new (utc, 2025, 12, 30, 1, 0, 0);
  const char *name = NULL;

  g_assert_false (hoga_holidays_is_trading_day (h, holiday));
  g_assert_true (hoga_holidays_lookup (h, holiday, &name, NULL));
  g_assert_cmpstr (name, ==, "추석 대체공휴일");
  g_assert_true (hoga_holidays_is_trading_day (h, open));
  g_assert_false (hoga_holidays_is_trading_day (h, saturday));
  g_assert_false (hoga_holidays_is_trading_day (h, sunday));
  g_assert_false (hoga_holidays_lookup (h, saturday, NULL, NULL));
  g_assert_false (hoga_holidays_is_trading_day (h, election));
  g_assert_false (hoga_holidays_is_trading_day (h, year_end));
  g_assert_true (hoga_holidays_is_trading_day (h, last_day));
  g_assert_false (hoga_holidays_is_trading_day (h, utc_evening));
  g_assert_true (hoga_holidays_is_trading_day (h, utc_morning));

  g_assert_true (hoga_holidays_covers (h, holiday));
  g_assert_true (hoga_holidays_covers (h, year_end));
  g_assert_false (hoga_holidays_covers (h, uncovered));
  g_assert_false (hoga_holidays_covers (h, before));
  g_assert_true (hoga_holidays_is_trading_day (h, uncovered));
}

static void
test_holidays_default_list (void)
{
  HogaHolidays *h = hoga_holidays_get_default ();
  static const int closed[][3] = {
    { 2025, 1, 27 }, { 2025, 1, 30 }, { 2025, 3, 3 }, { 2025, 5, 1 }, { 2025, 5, 6 },
    { 2025, 6, 3 }, { 2025, 12, 31 }, { 2026, 2, 16 }, { 2026, 3, 2 }, { 2026, 5, 25 },
    { 2026, 8, 17 }, { 2026, 9, 24 }, { 2026, 10, 5 }, { 2027, 10, 11 }, { 2027, 12, 27 },
  };
  gboolean unverified = TRUE;
  g_autoptr(GDateTime) new_year = kst (2027, 1, 1, 9);

  g_assert_true (h == hoga_holidays_get_default ());
  g_assert_cmpuint (hoga_holidays_get_n_holidays (h), ==, 49);

  for (guint i = 0; i < G_N_ELEMENTS (closed); i++)
    {
      g_autoptr(GDateTime) day = kst (closed[i][0], closed[i][1], closed[i][2], 10);

      if (hoga_holidays_is_trading_day (h, day))
        g_error ("%d-%02d-%02d should be closed", closed[i][0], closed[i][1], closed[i][2]);
    }

  g_assert_true (hoga_holidays_lookup (h, new_year, NULL, &unverified));
  g_assert_false (unverified);
}

typedef struct {
  const char *data;
  const char *message;
} BadHolidays;

/* A strategy change keeps the session; a connection change needs a new one. */
static void
test_broker_equal (void)
{
  g_autoptr(HogaSettings) a = hoga_settings_new ();
  g_autoptr(HogaSettings) b = hoga_settings_copy (a);

  g_assert_true (hoga_settings_broker_equal (a, b));
  b->stop_loss_bp = a->stop_loss_bp - 100;
  b->max_positions = a->max_positions + 1;
  g_assert_true (hoga_settings_broker_equal (a, b));
  b->profile = HOGA_PROFILE_MOCK;
  g_assert_false (hoga_settings_broker_equal (a, b));
  b->profile = a->profile;
  b->rate_limit = a->rate_limit + 1;
  g_assert_false (hoga_settings_broker_equal (a, b));
  b->rate_limit = a->rate_limit;
  g_free (b->rest_url);
  b->rest_url = g_strdup ("http://127.0.0.1:1");
  g_assert_false (hoga_settings_broker_equal (a, b));
}

static void
test_holidays_errors (void)
{
  static const BadHolidays cases[] = {
    { "# ok\n2025-01-01 # 신정\n2025-13-01 # 없는 달\n",
      "list.txt:3: “2025-13-01” is not a date: use YYYY-MM-DD" },
    { "2025-02-29 # 윤일\n",
      "list.txt:1: “2025-02-29” is not a date: use YYYY-MM-DD" },
    { "2025-1-1 # 신정\n",
      "list.txt:1: “2025-1-1” is not a date: use YYYY-MM-DD" },
    { "2025-01-011 # 신정\n",
      "list.txt:1: “2025-01-011” is not a date: use YYYY-MM-DD" },
    { "\n\n2025-01-01\n",
      "list.txt:3: 2025-01-01 needs the holiday’s name after it, as “# name”" },
    { "2025-01-01 신정\n",
      "list.txt:1: 2025-01-01 needs the holiday’s name after it, as “# name”" },
    { "2025-01-01 #   \n",
      "list.txt:1: 2025-01-01 needs the holiday’s name after it, as “# name”" },
    { "2025-01-01 # 신정 # maybe\n",
      "list.txt:1: unknown mark “maybe”: the only mark is “# unverified”" },
    { "2025-03-01 # 삼일절\n",
      "list.txt:1: 2025-03-01 falls on a weekend: list only weekdays the market is closed" },
    { "2025-01-01 # 신정\n# comment\n2025-01-01 # 신정\n",
      "list.txt:3: 2025-01-01 is not after the date on line 1: keep the dates in ascending order" },
    { "2025-12-25 # 성탄절\n2025-01-01 # 신정\n",
      "list.txt:2: 2025-01-01 is not after the date on line 1: keep the dates in ascending order" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HogaHolidays) h = hoga_holidays_new_from_data (cases[i].data, -1, "list.txt",
                                                               &error);

      g_assert_null (h);
      assert_error_message (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                            cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Never the user's dconf database, even when run by hand outside meson test. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings/schema/defaults", test_defaults_equal_schema);
  g_test_add_func ("/settings/schema/ranges", test_ranges_equal_schema);
  g_test_add_func ("/settings/schema/documented", test_schema_keys_documented);
  g_test_add_func ("/settings/key-file/good", test_key_file_good);
  g_test_add_func ("/settings/key-file/good-sets-every-key", test_key_file_every_key_set);
  g_test_add_func ("/settings/key-file/minimal", test_key_file_minimal);
  g_test_add_func ("/settings/key-file/bad-files", test_key_file_bad_files);
  g_test_add_func ("/settings/key-file/bad-values", test_key_file_bad_values);
  g_test_add_func ("/settings/key-file/spacing", test_key_file_lenient_spacing);
  g_test_add_func ("/settings/gsettings/defaults", test_gsettings_defaults);
  g_test_add_func ("/settings/gsettings/round-trip", test_gsettings_round_trip);
  g_test_add_func ("/settings/gsettings/invalid", test_gsettings_invalid);
  g_test_add_func ("/settings/gsettings/stale-schema", test_gsettings_stale_schema);
  g_test_add_func ("/settings/validate", test_validate);
  g_test_add_func ("/settings/copy", test_copy);
  g_test_add_func ("/settings/rate-limit", test_rate_limit);
  g_test_add_func ("/settings/fill-entry-exit", test_fill_entry_exit);
  g_test_add_func ("/settings/describe-keys", test_describe_keys);
  g_test_add_func ("/settings/holidays/parse", test_holidays_parse);
  g_test_add_func ("/settings/holidays/trading-day", test_holidays_trading_day);
  g_test_add_func ("/settings/holidays/default-list", test_holidays_default_list);
  g_test_add_func ("/settings/holidays/errors", test_holidays_errors);
  g_test_add_func ("/settings/broker-equal", test_broker_equal);

  return g_test_run ();
}
