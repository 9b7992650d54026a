/* hoga-ui.h — one-time set-up of the desktop widgets' resources and types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the UI's GResource and the widget types its templates name. Call once before
 * building any widget (the application does; so do the UI tests). Idempotent. */
void hoga_ui_init (void);

G_END_DECLS
