/* hoga-preferences-window.h — connection, credentials, trading and risk settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hoga-secret-store.h"

G_BEGIN_DECLS

#define HOGA_TYPE_PREFERENCES_WINDOW (hoga_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (HogaPreferencesWindow, hoga_preferences_window, HOGA, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* @settings: the root io.github.hoga.Hoga settings (its broker, strategy and risk children
 * are edited); @secret_store: where the Kiwoom keys are saved. */
HogaPreferencesWindow *hoga_preferences_window_new               (GSettings             *settings,
                                                                  HogaSecretStore       *secret_store);
/* Ends the test that ::test-connection started: @message says what happened, in words the
 * user understands. */
void                   hoga_preferences_window_show_test_result  (HogaPreferencesWindow *self,
                                                                  gboolean               ok,
                                                                  const char            *message);

G_END_DECLS
