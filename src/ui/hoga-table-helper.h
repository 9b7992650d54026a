/* hoga-table-helper.h — what the account, tracking and orders tables share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a class: each table widget describes its columns in a static array of HogaTableColumn
 * and owns one HogaTableHelper, which builds the GtkColumnView's columns, sorters and cells,
 * keeps the cells current from the items' property notifications, shows the row context
 * menu, reads and writes the column layout string and writes the CSV. Private to hoga-ui
 * (and its tests).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a true flag shows: U+2713 CHECK MARK. */
#define HOGA_TABLE_CHECK_MARK "\342\234\223"

typedef enum {
  HOGA_COLUMN_TEXT,     /* string */
  HOGA_COLUMN_NUMBER,   /* gint64, thousands separators: a quantity or an amount */
  HOGA_COLUMN_PRICE,    /* gint64 KRW, blank while 0 (not known yet) */
  HOGA_COLUMN_PNL,      /* gint64 KRW, signed and coloured */
  HOGA_COLUMN_PERCENT,  /* gint64 basis points, signed and coloured */
  HOGA_COLUMN_TIME,     /* gint64 µs since the epoch, HH:MM:SS in Asia/Seoul; blank at 0 */
  HOGA_COLUMN_CHECK,    /* gboolean, a check mark */
  HOGA_COLUMN_CHOICE,   /* an int or enum, shown through @label, exported through @raw */
  HOGA_COLUMN_CUSTOM,   /* @update shows it, @to_csv exports it */
} HogaColumnKind;

typedef struct {
  const char      *id;             /* stable: the column layout string names it */
  const char      *title;          /* marked with N_() */
  const char      *property;       /* the item property shown and sorted on */
  const char      *also_property;  /* another property the cell shows, or NULL */
  HogaColumnKind   kind;
  int              width;          /* default width in pixels */
  gboolean         numeric;        /* CUSTOM: right-aligned tabular digits */
  const char    *(*label)  (int       value);   /* CHOICE: the translated text */
  const char    *(*raw)    (int       value);   /* CHOICE: the CSV text */
  const char    *(*style)  (int       value);   /* CHOICE, optional: a style class or NULL */
  void           (*update) (GtkLabel *label,
                            GObject  *item);    /* CUSTOM */
  char          *(*to_csv) (GObject  *item);    /* CUSTOM */
} HogaTableColumn;

/* Returns the row context menu of @item (a new reference), or NULL for none. */
typedef GMenuModel *(*HogaTableMenuFunc) (GObject *item);

typedef struct _HogaTableHelper HogaTableHelper;

/* From the table's class_init: a GtkBinLayout, and the "menu.popup" action with its Menu
 * and Shift+F10 shortcuts. */
void             hoga_table_helper_setup_class      (GtkWidgetClass        *widget_class);

/* From the table's init, after gtk_widget_init_template(). @column_state_pspec is the
 * table's "column-state" property, notified when the layout changes. */
HogaTableHelper *hoga_table_helper_new              (GtkWidget             *table,
                                                     GtkColumnView         *column_view,
                                                     GtkWidget             *placeholder,
                                                     GType                  item_type,
                                                     const HogaTableColumn *columns,
                                                     guint                  n_columns,
                                                     HogaTableMenuFunc      menu_func,
                                                     GParamSpec            *column_state_pspec);
/* From the table's dispose, before gtk_widget_dispose_template(). */
void             hoga_table_helper_free             (HogaTableHelper       *self);

GListModel      *hoga_table_helper_get_model        (HogaTableHelper       *self);
/* Returns TRUE when the model changed (the caller notifies its "model"). */
gboolean         hoga_table_helper_set_model        (HogaTableHelper       *self,
                                                     GListModel            *model);
const char      *hoga_table_helper_get_column_state (HogaTableHelper       *self);
void             hoga_table_helper_set_column_state (HogaTableHelper       *self,
                                                     const char            *column_state);
char            *hoga_table_helper_to_csv           (HogaTableHelper       *self);

/* Appends an item activating @action with @target (floating references are sunk). */
void             hoga_table_helper_menu_append      (GMenu                 *menu,
                                                     const char            *label,
                                                     const char            *action,
                                                     GVariant              *target);

/* For tests: the label showing @column_id of @item in @table, found in the widget tree;
 * NULL when that row is not on screen. */
GtkLabel        *hoga_table_helper_find_cell        (GtkWidget             *table,
                                                     gpointer               item,
                                                     const char            *column_id);

G_END_DECLS
