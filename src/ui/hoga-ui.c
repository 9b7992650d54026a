/* hoga-ui.c — one-time set-up of the desktop widgets' resources and types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <gtk/gtk.h>

#include "hoga-ui.h"
#include "hoga-ui-resources.h"
#include "hoga-window.h"

void
hoga_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      g_resources_register (hoga_ui_get_resource ());
      g_type_ensure (HOGA_TYPE_WINDOW);
      g_once_init_leave (&initialized, 1);
    }
}
