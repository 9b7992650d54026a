/* hoga-ui.h — one-time set-up of the desktop widgets' resources and types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the UI's GResource: needs no display, so the application does it before its
 * startup, when AdwApplication loads style.css and GtkApplication the shortcuts window
 * from the resource base path. Idempotent. */
void hoga_ui_register_resources (void);
/* The resources, and the widget types the templates name. Call once before building any
 * widget (the application does in its startup; so do the UI tests). Idempotent. */
void hoga_ui_init (void);

G_END_DECLS
