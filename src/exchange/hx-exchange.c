/* hx-exchange.c — hoga-exchange: owns the market, account, servers and fault switches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <unistd.h>

#include <json-glib/json-glib.h>

#include "hx-control.h"
#include "hx-exchange.h"
#include "hx-resources.h"
#include "hx-rest.h"
#include "hx-ws.h"

#define HX_RESOURCE_PATH "/io/github/hoga/Exchange/"
#define HX_MAX_SYMBOLS 3000

struct _HxExchange
{
  GObject       parent_instance;

  HxOptions     options;
  HxFaults      faults;

  HxClock      *clock;
  HxMarket     *market;
  HxConditions *conditions;
  HxAccount    *account;
  HxAuth       *auth;
  HxRest       *rest;
  HxWs         *ws;
};

G_DEFINE_FINAL_TYPE (HxExchange, hx_exchange, G_TYPE_OBJECT)

G_DEFINE_QUARK (hx-error-quark, hx_error)

void
hx_options_init (HxOptions *options)
{
  g_return_if_fail (options != NULL);

  *options = (HxOptions) {
    .seed = 1,
    .cash = 10000000,
    .commission_ppm = 150,
    .tax_ppm = 1800,
    .clock_mode = HX_CLOCK_ALWAYS_OPEN,
    .clock_speed = 1.0,
    .trades_per_second = 50.0,
    .conditions_automatic = TRUE,
    .ping_interval = 10.0,
    .max_missed_pings = 5,
    .login_timeout = 10.0,
    .rate_limit = 5.0,
    .page_size = 20,
    .token_lifetime = 24 * 60 * 60,
    .max_realtime_conditions = 10,
    .entries_per_frame = 4,
    .max_body_size = 64 * 1024,
  };
}

void
hx_options_clear (HxOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->symbols_file, g_free);
  g_clear_pointer (&options->conditions_file, g_free);
  g_clear_pointer (&options->start_time, g_free);
}

static void
hx_options_copy (HxOptions       *dest,
                 const HxOptions *src)
{
  *dest = *src;
  dest->symbols_file = g_strdup (src->symbols_file);
  dest->conditions_file = g_strdup (src->conditions_file);
  dest->start_time = g_strdup (src->start_time);
}

static gboolean
validate_options (const HxOptions  *options,
                  GError          **error)
{
  const char *problem = NULL;

  if (options->n_symbols > HX_MAX_SYMBOLS)
    problem = "--symbols must be at most 3000";
  else if (options->cash < 0)
    problem = "--cash must not be negative";
  else if (options->clock_speed <= 0.0 || options->clock_speed > 10000.0)
    problem = "--speed must be above 0 and at most 10000";
  else if (options->trades_per_second < 0.0 || options->trades_per_second > 1000000.0)
    problem = "--trades-per-second must be between 0 and 1000000";
  else if (options->ping_interval < 0.01)
    problem = "--ping-interval must be at least 0.01 seconds";
  else if (options->max_missed_pings < 1)
    problem = "--max-missed-pings must be at least 1";
  else if (options->login_timeout < 0.01)
    problem = "--login-timeout must be at least 0.01 seconds";
  else if (options->rate_limit <= 0.0)
    problem = "--rate-limit must be above 0";
  else if (options->page_size < 1 || options->page_size > 1000)
    problem = "--page-size must be between 1 and 1000";
  else if (options->token_lifetime < 1)
    problem = "--token-lifetime must be at least 1 second";
  else if (options->max_realtime_conditions < 1)
    problem = "--max-conditions must be at least 1";
  else if (options->entries_per_frame < 1 || options->entries_per_frame > 100)
    problem = "--entries-per-frame must be between 1 and 100";
  else if (options->commission_ppm > 100000 || options->tax_ppm > 100000)
    problem = "--commission-ppm and --tax-ppm must be at most 100000 (10 %)";

  if (problem != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, problem);
      return FALSE;
    }
  return TRUE;
}

static GDateTime *
parse_start_time (const char  *text,
                  GError     **error)
{
  g_autofree char *iso = NULL;
  GDateTime *start;

  if (text == NULL)
    return NULL;

  /* "YYYY-MM-DD HH:MM:SS" in KST; GDateTime parses ISO 8601 with a default zone. */
  iso = g_strdelimit (g_strdup (text), " ", 'T');
  start = g_date_time_new_from_iso8601 (iso, hoga_krx_time_zone ());
  if (start == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--start-time “%s” is not “YYYY-MM-DD HH:MM:SS”", text);
  return start;
}

static GBytes *
load_data (const char  *file,
           const char  *resource,
           GError     **error)
{
  char *contents = NULL;
  gsize length = 0;

  /* Looked up in our own bundle: a resource compiled into a static library is not linked
   * into the program unless something references it, so its constructor never runs. */
  if (file == NULL)
    return g_resource_lookup_data (hx_get_resource (), resource, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                   error);

  if (!g_file_get_contents (file, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static gboolean
hx_exchange_build (HxExchange  *self,
                   GError     **error)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GBytes) symbols = NULL;
  g_autoptr(GBytes) conditions = NULL;
  GError *local_error = NULL;

  if (!validate_options (&self->options, error))
    return FALSE;

  start = parse_start_time (self->options.start_time, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  self->clock = hx_clock_new (self->options.clock_mode, self->options.clock_speed, start);
  self->market = hx_market_new (self->clock, self->options.seed);

  symbols = load_data (self->options.symbols_file, HX_RESOURCE_PATH "symbols.tsv", error);
  if (symbols == NULL)
    return FALSE;
  if (!hx_market_load_symbols (self->market, symbols, error))
    return FALSE;
  if (self->options.n_symbols > hx_market_get_n_symbols (self->market))
    hx_market_add_generated (self->market, self->options.n_symbols);

  self->conditions = hx_conditions_new (self->market, self->clock);
  conditions = load_data (self->options.conditions_file, HX_RESOURCE_PATH "conditions.ini",
                          error);
  if (conditions == NULL)
    return FALSE;
  if (!hx_conditions_load (self->conditions, conditions, error))
    return FALSE;
  hx_conditions_set_automatic (self->conditions, self->options.conditions_automatic);

  self->account = hx_account_new (self->market, self->clock, self->options.cash,
                                  self->options.commission_ppm, self->options.tax_ppm);
  self->auth = hx_auth_new (self->options.token_lifetime);
  self->rest = hx_rest_new (self);
  self->ws = hx_ws_new (self);

  return TRUE;
}

static void
hx_exchange_dispose (GObject *object)
{
  HxExchange *self = (HxExchange *)object;

  if (self->market != NULL)
    hx_market_stop (self->market);

  /* Servers first: their sessions hold signal handlers on the models. */
  g_clear_object (&self->ws);
  g_clear_object (&self->rest);
  g_clear_object (&self->auth);
  g_clear_object (&self->account);
  g_clear_object (&self->conditions);
  g_clear_object (&self->market);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (hx_exchange_parent_class)->dispose (object);
}

static void
hx_exchange_finalize (GObject *object)
{
  HxExchange *self = (HxExchange *)object;

  hx_options_clear (&self->options);

  G_OBJECT_CLASS (hx_exchange_parent_class)->finalize (object);
}

static void
hx_exchange_class_init (HxExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hx_exchange_dispose;
  object_class->finalize = hx_exchange_finalize;
}

static void
hx_exchange_init (HxExchange *self)
{
  /* HTTP 429 Too Many Requests: the stricter of the two observed statuses. */
  self->faults.rate_limit_status = 429;
}

HxExchange *
hx_exchange_new (const HxOptions  *options,
                 GError          **error)
{
  g_autoptr(HxExchange) self = NULL;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HX_TYPE_EXCHANGE, NULL);
  hx_options_copy (&self->options, options);

  if (!hx_exchange_build (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
hx_exchange_start (HxExchange  *self,
                   GError     **error)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), FALSE);

  if (!hx_rest_listen (self->rest, self->options.rest_port, error))
    return FALSE;
  if (!hx_ws_listen (self->ws, self->options.ws_port, error))
    return FALSE;

  hx_control_register (self, hx_rest_get_server (self->rest));

  if (self->options.trades_per_second > 0.0)
    hx_market_start (self->market, self->options.trades_per_second);

  return TRUE;
}

char *
hx_exchange_describe (HxExchange *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *rest_url = NULL;
  g_autofree char *ws_url = NULL;
  g_autofree char *control_url = NULL;

  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);

  rest_url = hx_rest_get_url (self->rest);
  ws_url = hx_ws_get_url (self->ws);
  control_url = g_strconcat (rest_url, HX_CONTROL_PATH, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rest_url");
  json_builder_add_string_value (builder, rest_url);
  json_builder_set_member_name (builder, "ws_url");
  json_builder_add_string_value (builder, ws_url);
  json_builder_set_member_name (builder, "control_url");
  json_builder_add_string_value (builder, control_url);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, getpid ());
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

const HxOptions *
hx_exchange_get_options (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return &self->options;
}

HxFaults *
hx_exchange_get_faults (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return &self->faults;
}

HxClock *
hx_exchange_get_clock (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->clock;
}

HxMarket *
hx_exchange_get_market (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->market;
}

HxConditions *
hx_exchange_get_conditions (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->conditions;
}

HxAccount *
hx_exchange_get_account (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->account;
}

HxAuth *
hx_exchange_get_auth (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->auth;
}

HxRest *
hx_exchange_get_rest (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->rest;
}

HxWs *
hx_exchange_get_ws (HxExchange *self)
{
  g_return_val_if_fail (HX_IS_EXCHANGE (self), NULL);
  return self->ws;
}
