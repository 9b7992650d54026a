/* hoga-ui.c — one-time set-up of the desktop widgets' resources and types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <gtk/gtk.h>

#include "hoga-ui.h"
#include "hoga-ui-resources.h"
#include "hoga-account-table.h"
#include "hoga-orders-table.h"
#include "hoga-strategy-bar.h"
#include "hoga-summary-bar.h"
#include "hoga-tracking-table.h"
#include "hoga-preferences-window.h"
#include "hoga-event-log.h"
#include "hoga-order-dialog.h"
#include "hoga-window.h"

void
hoga_ui_register_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      hoga_ui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
hoga_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      hoga_ui_register_resources ();
      g_type_ensure (HOGA_TYPE_ACCOUNT_TABLE);
      g_type_ensure (HOGA_TYPE_ORDERS_TABLE);
      g_type_ensure (HOGA_TYPE_STRATEGY_BAR);
      g_type_ensure (HOGA_TYPE_SUMMARY_BAR);
      g_type_ensure (HOGA_TYPE_TRACKING_TABLE);
      g_type_ensure (HOGA_TYPE_PREFERENCES_WINDOW);
      g_type_ensure (HOGA_TYPE_EVENT_LOG);
      g_type_ensure (HOGA_TYPE_ORDER_DIALOG);
      g_type_ensure (HOGA_TYPE_WINDOW);
      g_once_init_leave (&initialized, 1);
    }
}
