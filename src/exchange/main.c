/* main.c — hoga-exchange: the simulated Kiwoom exchange on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-exchange"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "hx-exchange.h"

typedef struct {
  HxOptions  options;
  gint64     seed;
  int        n_symbols;
  int        rest_port;
  int        ws_port;
  int        commission_ppm;
  int        tax_ppm;
  int        max_missed_pings;
  int        page_size;
  int        token_lifetime;
  int        max_conditions;
  int        max_reg_items;
  int        entries_per_frame;
  int        rate_limit_status;
  int        fault_rest_delay_ms;
  int        fault_reject_orders;
  char      *clock;
  gboolean   no_conditions;
  gboolean   fault_stop_pings;
  gboolean   fault_ws_silent;
  gboolean   string_return_codes;
  gboolean   version;
} Settings;

static GLogWriterOutput
log_to_stderr (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *line = NULL;

  /* stdout carries only the ready line: a parent that never drains it must not block us. */
  if (g_log_writer_default_would_drop (log_level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;

  line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);
  fprintf (stderr, "%s\n", line);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_range (const char  *name,
             gint64       value,
             gint64       min,
             gint64       max,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;

  {
    g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, min);
    g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, max);

    /* Translators: an option name, then the allowed range. */
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 _("%s must be between %s and %s"), name, low, high);
  }
  return FALSE;
}

static gboolean
settings_to_options (Settings  *settings,
                     GError   **error)
{
  HxOptions *options = &settings->options;

  if (!check_range ("--symbols", settings->n_symbols, 0, 3000, error)
      || !check_range ("--rest-port", settings->rest_port, 0, 65535, error)
      || !check_range ("--ws-port", settings->ws_port, 0, 65535, error)
      || !check_range ("--commission-ppm", settings->commission_ppm, 0, 100000, error)
      || !check_range ("--tax-ppm", settings->tax_ppm, 0, 100000, error)
      || !check_range ("--max-missed-pings", settings->max_missed_pings, 1, 1000, error)
      || !check_range ("--page-size", settings->page_size, 1, 1000, error)
      || !check_range ("--token-lifetime", settings->token_lifetime, 1, G_MAXINT, error)
      || !check_range ("--max-conditions", settings->max_conditions, 1, 1000, error)
      || !check_range ("--max-reg-items", settings->max_reg_items, 0, G_MAXINT, error)
      || !check_range ("--entries-per-frame", settings->entries_per_frame, 1, 100, error)
      || !check_range ("--fault-rest-delay-ms", settings->fault_rest_delay_ms, 0, 600000, error)
      || !check_range ("--fault-reject-orders", settings->fault_reject_orders, 0, 100000, error))
    return FALSE;

  if (settings->rate_limit_status != 200 && settings->rate_limit_status != 429)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--rate-limit-status must be 429 or 200"));
      return FALSE;
    }

  if (g_strcmp0 (settings->clock, "krx") == 0)
    options->clock_mode = HX_CLOCK_KRX;
  else if (settings->clock == NULL || g_strcmp0 (settings->clock, "always-open") == 0)
    options->clock_mode = HX_CLOCK_ALWAYS_OPEN;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--clock must be “always-open” or “krx”, not “%s”"), settings->clock);
      return FALSE;
    }

  options->seed = (guint64)settings->seed;
  options->n_symbols = settings->n_symbols;
  options->rest_port = settings->rest_port;
  options->ws_port = settings->ws_port;
  options->commission_ppm = settings->commission_ppm;
  options->tax_ppm = settings->tax_ppm;
  options->max_missed_pings = settings->max_missed_pings;
  options->page_size = settings->page_size;
  options->token_lifetime = settings->token_lifetime;
  options->max_realtime_conditions = settings->max_conditions;
  options->max_reg_items = settings->max_reg_items;
  options->entries_per_frame = settings->entries_per_frame;
  options->conditions_automatic = !settings->no_conditions;
  return TRUE;
}

static void
apply_start_faults (Settings *settings,
                    HxFaults *faults)
{
  faults->stop_pings = settings->fault_stop_pings;
  faults->ws_silent = settings->fault_ws_silent;
  faults->rest_delay_ms = settings->fault_rest_delay_ms;
  faults->reject_orders = settings->fault_reject_orders;
  faults->rate_limit_status = settings->rate_limit_status;
  faults->string_return_codes = settings->string_return_codes;
}

static gboolean
parse_arguments (Settings   *settings,
                 int        *argc,
                 char     ***argv,
                 GError    **error)
{
  HxOptions *o = &settings->options;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &settings->seed,
      N_("Seed for every random choice of the market"), "N" },
    { "symbols", 0, 0, G_OPTION_ARG_INT, &settings->n_symbols,
      N_("Total number of symbols, generated ones added after the real ones (up to 3000)"), "N" },
    { "symbols-file", 0, 0, G_OPTION_ARG_FILENAME, &o->symbols_file,
      N_("Symbol list to use instead of the built-in one (TSV)"), "FILE" },
    { "conditions-file", 0, 0, G_OPTION_ARG_FILENAME, &o->conditions_file,
      N_("Condition searches to use instead of the built-in ones (key file)"), "FILE" },
    { "rest-port", 0, 0, G_OPTION_ARG_INT, &settings->rest_port,
      N_("Port of the REST server on 127.0.0.1 (0 picks a free one)"), "PORT" },
    { "ws-port", 0, 0, G_OPTION_ARG_INT, &settings->ws_port,
      N_("Port of the WebSocket server on 127.0.0.1 (0 picks a free one)"), "PORT" },
    { "cash", 0, 0, G_OPTION_ARG_INT64, &o->cash,
      N_("Starting deposit in KRW"), "KRW" },
    { "commission-ppm", 0, 0, G_OPTION_ARG_INT, &settings->commission_ppm,
      N_("Commission in parts per million of the traded amount"), "N" },
    { "tax-ppm", 0, 0, G_OPTION_ARG_INT, &settings->tax_ppm,
      N_("Transaction tax on sells in parts per million"), "N" },
    { "clock", 0, 0, G_OPTION_ARG_STRING, &settings->clock,
      N_("Session clock: always-open or krx (the real KST schedule)"), "MODE" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &o->clock_speed,
      N_("Simulated seconds per real second"), "FACTOR" },
    { "start-time", 0, 0, G_OPTION_ARG_STRING, &o->start_time,
      N_("Simulated start time in KST, “YYYY-MM-DD HH:MM:SS”"), "TIME" },
    { "trades-per-second", 0, 0, G_OPTION_ARG_DOUBLE, &o->trades_per_second,
      N_("Random-walk trades per second over all symbols (0 for none)"), "N" },
    { "no-conditions", 0, 0, G_OPTION_ARG_NONE, &settings->no_conditions,
      N_("Condition searches change only when scripted"), NULL },
    { "ping-interval", 0, 0, G_OPTION_ARG_DOUBLE, &o->ping_interval,
      N_("Seconds between server PINGs"), "SECONDS" },
    { "max-missed-pings", 0, 0, G_OPTION_ARG_INT, &settings->max_missed_pings,
      N_("Unanswered PINGs before the session is closed with R10002"), "N" },
    { "login-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &o->login_timeout,
      N_("Seconds between R10004 reminders to a session that has not logged in"), "SECONDS" },
    { "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &o->rate_limit,
      N_("Requests per second per api-id and app key"), "N" },
    { "rate-limit-status", 0, 0, G_OPTION_ARG_INT, &settings->rate_limit_status,
      N_("HTTP status of a rate-limit (1700) reply: 429 or 200"), "STATUS" },
    { "page-size", 0, 0, G_OPTION_ARG_INT, &settings->page_size,
      N_("Rows per page of list replies"), "N" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &settings->token_lifetime,
      N_("Access token lifetime in seconds"), "SECONDS" },
    { "max-conditions", 0, 0, G_OPTION_ARG_INT, &settings->max_conditions,
      N_("Realtime condition searches per login"), "N" },
    { "max-reg-items", 0, 0, G_OPTION_ARG_INT, &settings->max_reg_items,
      N_("Registered realtime items per session (0 for no limit)"), "N" },
    { "entries-per-frame", 0, 0, G_OPTION_ARG_INT, &settings->entries_per_frame,
      N_("Realtime data entries batched into one frame"), "N" },
    { "string-return-codes", 0, 0, G_OPTION_ARG_NONE, &settings->string_return_codes,
      N_("Send REST return_code as a string (\"0\"), a variant seen on the live server"),
      NULL },
    { "fault-stop-pings", 0, 0, G_OPTION_ARG_NONE, &settings->fault_stop_pings,
      N_("Fault: send no PINGs"), NULL },
    { "fault-ws-silent", 0, 0, G_OPTION_ARG_NONE, &settings->fault_ws_silent,
      N_("Fault: WebSocket sessions neither read nor write"), NULL },
    { "fault-rest-delay-ms", 0, 0, G_OPTION_ARG_INT, &settings->fault_rest_delay_ms,
      N_("Fault: delay every REST reply this many milliseconds"), "MS" },
    { "fault-reject-orders", 0, 0, G_OPTION_ARG_INT, &settings->fault_reject_orders,
      N_("Fault: reject the next N orders"), "N" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &settings->version,
      N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    _("A simulated Kiwoom exchange on 127.0.0.1: REST and WebSocket servers speaking the "
      "Kiwoom protocol, with a market, an account, condition searches and fault "
      "injection. Prints its URLs as one JSON line on standard output when ready."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return g_option_context_parse (context, argc, argv, error)
         && settings_to_options (settings, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HxExchange) exchange = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ready = NULL;
  Settings settings = {
    .seed = 1,
    .commission_ppm = 150,
    .tax_ppm = 1800,
    .max_missed_pings = 5,
    .page_size = 20,
    .token_lifetime = 24 * 60 * 60,
    .max_conditions = 10,
    .entries_per_frame = 4,
    .rate_limit_status = 429,
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_log_set_writer_func (log_to_stderr, NULL, NULL);
  hx_options_init (&settings.options);

  if (!parse_arguments (&settings, &argc, &argv, &error))
    {
      g_printerr ("hoga-exchange: %s\n", error->message);
      g_printerr ("%s\n", _("Run “hoga-exchange --help” to see the options."));
      hx_options_clear (&settings.options);
      return EXIT_FAILURE;
    }

  if (settings.version)
    {
      g_print ("hoga-exchange %s\n", PACKAGE_VERSION);
      hx_options_clear (&settings.options);
      return EXIT_SUCCESS;
    }

  exchange = hx_exchange_new (&settings.options, &error);
  hx_options_clear (&settings.options);
  g_free (settings.clock);

  if (exchange == NULL)
    {
      g_printerr ("hoga-exchange: %s\n", error->message);
      return EXIT_FAILURE;
    }

  apply_start_faults (&settings, hx_exchange_get_faults (exchange));

  if (!hx_exchange_start (exchange, &error))
    {
      g_printerr (_("hoga-exchange: cannot start: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  ready = hx_exchange_describe (exchange);
  fprintf (stdout, "%s\n", ready);
  fflush (stdout);
  g_message ("ready: %s", ready);

  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
