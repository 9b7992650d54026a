/* hoga-window.c — the trading window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "hoga-window.h"

struct _HogaWindow {
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (HogaWindow, hoga_window, ADW_TYPE_APPLICATION_WINDOW)

static void
hoga_window_class_init (HogaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hoga/Hoga/hoga-window.ui");
}

static void
hoga_window_init (HogaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

HogaWindow *
hoga_window_new (AdwApplication *application)
{
  return g_object_new (HOGA_TYPE_WINDOW, "application", application, NULL);
}
