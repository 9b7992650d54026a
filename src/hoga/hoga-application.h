/* hoga-application.h — the desktop program: one window, one engine session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HOGA_TYPE_APPLICATION (hoga_application_get_type ())
G_DECLARE_FINAL_TYPE (HogaApplication, hoga_application, HOGA, APPLICATION, AdwApplication)

HogaApplication *hoga_application_new (void);

G_END_DECLS
