/* hoga-preferences-window-private.h — what the UI tests reach inside the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-preferences-window.h"

G_BEGIN_DECLS

/* The input bound to @key of the settings child @child ("broker", "strategy", "risk"), and
 * the row holding it (the same widget for combo rows); NULL when the window has none. */
GtkWidget        *hoga_preferences_window_get_key_input       (HogaPreferencesWindow *self,
                                                               const char            *child,
                                                               const char            *key);
GtkWidget        *hoga_preferences_window_get_key_row         (HogaPreferencesWindow *self,
                                                               const char            *child,
                                                               const char            *key);
/* A widget of the template by its id: "appkey_row", "save_button", "key_state_row", … */
GtkWidget        *hoga_preferences_window_get_template_widget (HogaPreferencesWindow *self,
                                                               const char            *id);
/* The real-profile confirmation while it is open, else NULL. */
AdwMessageDialog *hoga_preferences_window_get_confirm_dialog  (HogaPreferencesWindow *self);

G_END_DECLS
