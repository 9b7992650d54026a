/* hoga-headless.h — the engine without a window: config file in, JSON lines out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HOGA_TYPE_HEADLESS (hoga_headless_get_type ())
G_DECLARE_FINAL_TYPE (HogaHeadless, hoga_headless, HOGA, HEADLESS, GObject)

/* @config_file: a key file as hoga_settings_describe_keys() documents, or %NULL for the
 * defaults (the simulated profile). @real_money_confirmed: the user typed
 * --i-understand-real-money; without it the real profile is refused. */
HogaHeadless *hoga_headless_new      (const char     *config_file,
                                      gboolean        real_money_confirmed);
/* Everything that can be checked before anything runs or connects, in this order: the
 * configuration, the real-money confirmation, the credentials, the simulated exchange's
 * program, the journal. Synchronous. */
gboolean      hoga_headless_prepare  (HogaHeadless   *self,
                                      GError        **error);
/* Runs the engine on the main loop until SIGINT or SIGTERM, or until it cannot go on.
 * Returns: the process's exit status */
int           hoga_headless_run      (HogaHeadless   *self);

G_END_DECLS
