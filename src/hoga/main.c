/* main.c — hoga: the trading terminal, as a desktop window or a headless engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "hoga-application.h"
#include "hoga-headless.h"
#include "hoga-json-log.h"
#include "hoga-settings.h"

/* Exit status of a command line that cannot be run. */
#define EXIT_USAGE 2

typedef struct {
  gboolean  headless;
  char     *config_file;
  gboolean  real_money_confirmed;
  gboolean  version;
  gboolean  gapplication_service;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->config_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static char *
describe_environment (void)
{
  g_autofree char *keys = hoga_settings_describe_keys ();

  return g_strconcat (_("Environment:\n"
                        "  KIWOOM_APPKEY, KIWOOM_SECRETKEY\n"
                        "      the Kiwoom app key and secret key of the mock, real and custom "
                        "profiles; when unset they are read from the keyring (Secret Service), "
                        "never from a file\n"
                        "  HOGA_EXCHANGE\n"
                        "      the hoga-exchange program the simulated profile starts\n"
                        "  XDG_DATA_HOME\n"
                        "      the journal is $XDG_DATA_HOME/hoga/PROFILE/journal.sqlite\n"
                        "  G_MESSAGES_DEBUG\n"
                        "      domains whose debug lines are written too, e.g. hoga-exchange\n"
                        "\n"
                        "Output: one JSON object per line on standard output, with the members "
                        "time (ISO 8601, Korea time), level, domain and message; code, the "
                        "stock a line is about, when there is one; and event, a fixed name for "
                        "milestones such as engine-started and engine-stopped. Problems before "
                        "the start go to standard error. "
                        "Exit status: 0 after a clean stop on SIGINT or SIGTERM, 1 on an error, "
                        "2 for a command line that cannot be run.\n"
                        "\n"),
                      keys, NULL);
}

static gboolean
parse_options (Options    *options,
               int        *argc,
               char     ***argv,
               GError    **error)
{
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &options->headless,
      N_("Run the trading engine without a window, logging JSON lines"), NULL },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &options->config_file,
      N_("Configuration key file of the headless engine (see below)"), "FILE" },
    { "i-understand-real-money", 0, 0, G_OPTION_ARG_NONE, &options->real_money_confirmed,
      N_("Confirm that the real profile trades real money"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Print the version and exit"), NULL },
    /* The session bus starts the window this way (the desktop file is DBusActivatable). */
    { "gapplication-service", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE,
      &options->gapplication_service, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *description = describe_environment ();

  g_option_context_set_summary (context,
    _("Hoga trades Korean stocks through Kiwoom: it buys what enters a condition search and "
      "protects every position with stop-loss, trailing stop, take-profit and sell-condition "
      "exits. The simulated profile runs everything against a local simulated exchange."));
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return g_option_context_parse (context, argc, argv, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HogaHeadless) headless = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Options) options = { 0 };

  setlocale (LC_ALL, "");
  /* `meson devenv` and build-aux/run point HOGA_LOCALEDIR at the build tree's catalogs. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("HOGA_LOCALEDIR") != NULL ? g_getenv ("HOGA_LOCALEDIR")
                                                                       : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!parse_options (&options, &argc, &argv, &error))
    {
      g_printerr ("hoga: %s\n", error->message);
      g_printerr ("%s\n", _("Run “hoga --help” to see the options."));
      return EXIT_USAGE;
    }

  if (options.version)
    {
      g_print ("hoga %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (!options.headless)
    {
      g_autoptr(HogaApplication) application = NULL;

      if (options.config_file != NULL)
        {
          g_printerr ("hoga: %s\n", _("--config is read by the headless engine only; the "
                                      "desktop app keeps its settings in GSettings"));
          return EXIT_USAGE;
        }
      if (!gtk_init_check ())
        {
          g_printerr ("hoga: %s\n", _("No display to open the window on: run “hoga --headless” "
                                      "for the engine without a window"));
          return EXIT_USAGE;
        }
      application = hoga_application_new ();
      if (options.gapplication_service)
        {
          char *service_argv[] = { argv[0], (char *) "--gapplication-service", NULL };

          return g_application_run (G_APPLICATION (application), 2, service_argv);
        }
      return g_application_run (G_APPLICATION (application), argc, argv);
    }

  /* Before anything can log: from here on stdout carries JSON lines only. */
  hoga_json_log_install ();

  headless = hoga_headless_new (options.config_file, options.real_money_confirmed);

  if (!hoga_headless_prepare (headless, &error))
    {
      g_printerr ("hoga: %s\n", error->message);
      return EXIT_FAILURE;
    }

  return hoga_headless_run (headless);
}
