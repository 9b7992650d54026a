/* hoga-table-helper.c — what the account, tracking and orders tables share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cells are GtkLabels from a GtkSignalListItemFactory per column. A bound cell listens to
 * "notify::<property>" of its own item only, so a tick that moves one holding's price
 * reformats the few labels showing that holding's changed properties, into a stack buffer,
 * and nothing else. Columns have fixed widths, so a changed text never re-measures a
 * column. Sorting is a GtkSortListModel driven by the column view's sorter; as everywhere in
 * GTK, rows are re-sorted when the user sorts, not on every value change.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "hoga-format.h"
#include "hoga-krx.h"
#include "hoga-table-helper.h"

#define MAX_COLUMNS 32
#define MAX_COLUMN_WIDTH 4000

struct _HogaTableHelper
{
  GtkWidget             *table;         /* not owned: it owns us */
  GtkColumnView         *column_view;
  GtkWidget             *placeholder;
  GType                  item_type;
  const HogaTableColumn *columns;
  guint                  n_columns;
  GtkColumnViewColumn  **view_columns;  /* by index into @columns */
  HogaTableMenuFunc      menu_func;
  GParamSpec            *column_state_pspec;

  GtkSortListModel      *sort_model;    /* owned by @selection */
  GtkSingleSelection    *selection;
  GtkWidget             *popover;
  GtkEventController    *click;

  char                  *column_state;  /* as last notified; "" for the default layout */
  gboolean               applying;      /* setting the layout: notify once at the end */
};

/* One cell: the label's data, freed with the label. */
typedef struct
{
  const HogaTableColumn *column;
  GtkListItem           *list_item;     /* owns the label, which owns this */
  GtkLabel              *label;
  GObject               *item;          /* while bound; the list item holds it */
  const char            *style;         /* CHOICE: the class applied */
} Cell;

#define DEFINE_STATIC_QUARK(name, string)               \
  static GQuark                                         \
  name##_quark (void)                                   \
  {                                                     \
    static GQuark quark;                                \
                                                        \
    if (G_UNLIKELY (quark == 0))                        \
      quark = g_quark_from_static_string (string);      \
    return quark;                                       \
  }

DEFINE_STATIC_QUARK (cell, "hoga-table-cell")      /* on a cell's label: its Cell */
DEFINE_STATIC_QUARK (helper, "hoga-table-helper")  /* on the table: its helper */
DEFINE_STATIC_QUARK (column, "hoga-table-column")  /* on a view column: its HogaTableColumn */

static void
set_text (GtkLabel   *label,
          const char *text)
{
  if (strcmp (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void
set_style (Cell       *cell,
           const char *style)
{
  if (g_strcmp0 (cell->style, style) == 0)
    return;
  if (cell->style != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (cell->label), cell->style);
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (cell->label), style);
  cell->style = style;
}

static gboolean
is_numeric (const HogaTableColumn *column)
{
  switch (column->kind)
    {
    case HOGA_COLUMN_NUMBER:
    case HOGA_COLUMN_PRICE:
    case HOGA_COLUMN_PNL:
    case HOGA_COLUMN_PERCENT:
    case HOGA_COLUMN_TIME:
      return TRUE;
    case HOGA_COLUMN_CUSTOM:
      return column->numeric;
    case HOGA_COLUMN_TEXT:
    case HOGA_COLUMN_CHECK:
    case HOGA_COLUMN_CHOICE:
    default:
      return FALSE;
    }
}

static int
int_value_of (const GValue *value)
{
  return G_VALUE_HOLDS_ENUM (value) ? g_value_get_enum (value) : g_value_get_int (value);
}

static void
cell_update (Cell *cell)
{
  const HogaTableColumn *column = cell->column;
  g_auto(GValue) value = G_VALUE_INIT;
  char buf[HOGA_FORMAT_SIZE];
  gint64 number;

  if (column->kind == HOGA_COLUMN_CUSTOM)
    {
      column->update (cell->label, cell->item);
      return;
    }

  g_object_get_property (cell->item, column->property, &value);

  switch (column->kind)
    {
    case HOGA_COLUMN_TEXT:
      set_text (cell->label, g_value_get_string (&value) != NULL ? g_value_get_string (&value) : "");
      break;

    case HOGA_COLUMN_NUMBER:
      set_text (cell->label, hoga_format_krw (buf, g_value_get_int64 (&value)));
      break;

    case HOGA_COLUMN_PRICE:
      number = g_value_get_int64 (&value);
      set_text (cell->label, number != 0 ? hoga_format_krw (buf, number) : "");
      break;

    case HOGA_COLUMN_PNL:
      number = g_value_get_int64 (&value);
      set_text (cell->label, hoga_format_signed_krw (buf, number));
      set_style (cell, hoga_format_sign_class (number));
      break;

    case HOGA_COLUMN_PERCENT:
      number = g_value_get_int64 (&value);
      set_text (cell->label, hoga_format_bp (buf, number));
      set_style (cell, hoga_format_sign_class (number));
      break;

    case HOGA_COLUMN_TIME:
      number = g_value_get_int64 (&value);
      set_text (cell->label, number != 0 ? hoga_format_time (buf, number) : "");
      break;

    case HOGA_COLUMN_CHECK:
      set_text (cell->label, g_value_get_boolean (&value) ? HOGA_TABLE_CHECK_MARK : "");
      break;

    case HOGA_COLUMN_CHOICE:
      set_text (cell->label, column->label (int_value_of (&value)));
      if (column->style != NULL)
        set_style (cell, column->style (int_value_of (&value)));
      break;

    case HOGA_COLUMN_CUSTOM:
    default:
      g_assert_not_reached ();
    }
}

/* The CSV text of one cell: raw values, not the display's. */
static char *
cell_raw (const HogaTableColumn *column,
          GObject               *item)
{
  g_auto(GValue) value = G_VALUE_INIT;
  gint64 number;

  if (column->kind == HOGA_COLUMN_CUSTOM)
    return column->to_csv (item);

  g_object_get_property (item, column->property, &value);

  switch (column->kind)
    {
    case HOGA_COLUMN_TEXT:
      return g_value_dup_string (&value);

    case HOGA_COLUMN_NUMBER:
    case HOGA_COLUMN_PRICE:
    case HOGA_COLUMN_PNL:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (&value));

    case HOGA_COLUMN_PERCENT:
      {
        guint64 magnitude;

        number = g_value_get_int64 (&value);
        magnitude = number < 0 ? (guint64) 0 - (guint64) number : (guint64) number;
        return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u", number < 0 ? "-" : "",
                                magnitude / 100, (guint) (magnitude % 100));
      }

    case HOGA_COLUMN_TIME:
      {
        g_autoptr(GDateTime) utc = NULL;
        g_autoptr(GDateTime) kst = NULL;

        number = g_value_get_int64 (&value);
        if (number == 0)
          return g_strdup ("");
        utc = g_date_time_new_from_unix_utc (number / G_USEC_PER_SEC);
        kst = g_date_time_to_timezone (utc, hoga_krx_time_zone ());
        return g_date_time_format (kst, "%Y-%m-%dT%H:%M:%S%:z");
      }

    case HOGA_COLUMN_CHECK:
      return g_strdup (g_value_get_boolean (&value) ? "true" : "false");

    case HOGA_COLUMN_CHOICE:
      return g_strdup (column->raw (int_value_of (&value)));

    case HOGA_COLUMN_CUSTOM:
    default:
      g_assert_not_reached ();
    }
}

/* RFC 4180: a field holding a separator, a quote or a line break is quoted, its quotes
 * doubled. */
static void
append_csv_field (GString    *csv,
                  const char *field)
{
  if (field == NULL || strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (csv, field != NULL ? field : "");
      return;
    }

  g_string_append_c (csv, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static Cell *
cell_of (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), cell_quark ());
}

static Cell *
find_cell (GtkWidget  *root,
           gpointer    item,
           const char *column_id,
           gboolean    mapped_only)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Cell *cell = cell_of (child);

      if (cell != NULL)
        {
          if (cell->item == item &&
              (column_id == NULL || strcmp (cell->column->id, column_id) == 0) &&
              (!mapped_only || gtk_widget_get_mapped (child)))
            return cell;
        }
      else if ((cell = find_cell (child, item, column_id, mapped_only)) != NULL)
        {
          return cell;
        }
    }

  return NULL;
}

/* The bound cell under a point of the table: on a label, or in a cell's or row's padding
 * (whose first descendants are that row's cells). */
static Cell *
cell_at (HogaTableHelper *self,
         double           x,
         double           y)
{
  GtkWidget *picked = gtk_widget_pick (self->table, x, y, GTK_PICK_DEFAULT);
  GtkWidget *widget;
  guint depth = 0;

  for (widget = picked; widget != NULL && widget != self->table;
       widget = gtk_widget_get_parent (widget))
    {
      if (cell_of (widget) != NULL)
        return cell_of (widget)->item != NULL ? cell_of (widget) : NULL;
    }

  for (widget = picked != NULL ? gtk_widget_get_first_child (picked) : NULL;
       widget != NULL && depth < 2;
       widget = gtk_widget_get_first_child (widget), depth++)
    {
      if (cell_of (widget) != NULL)
        return cell_of (widget)->item != NULL ? cell_of (widget) : NULL;
    }

  return NULL;
}

static void
popup_menu (HogaTableHelper    *self,
            GObject            *item,
            const GdkRectangle *area)
{
  g_autoptr(GMenuModel) menu = NULL;

  if (self->menu_func == NULL)
    return;
  menu = self->menu_func (item);
  if (menu == NULL || g_menu_model_get_n_items (menu) == 0)
    return;

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->popover), menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), area);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static gboolean
any_column_visible (HogaTableHelper *self)
{
  for (guint i = 0; i < self->n_columns; i++)
    {
      if (gtk_column_view_column_get_visible (self->view_columns[i]))
        return TRUE;
    }
  return FALSE;
}

/* The layout as the "column-state" string: "" when it is the default. */
static char *
serialize_layout (HogaTableHelper *self)
{
  GListModel *view_columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr(GString) state = g_string_new (NULL);
  gboolean is_default = TRUE;

  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) view_column = g_list_model_get_item (view_columns, i);
      const HogaTableColumn *column = g_object_get_qdata (G_OBJECT (view_column), column_quark ());
      gboolean visible = gtk_column_view_column_get_visible (view_column);
      int width = gtk_column_view_column_get_fixed_width (view_column);

      if (column != &self->columns[i] || !visible || width != column->width)
        is_default = FALSE;
      g_string_append_printf (state, "%s%s%s:%d", i > 0 ? "," : "", visible ? "" : "-",
                              column->id, width);
    }

  return is_default ? g_strdup ("") : g_string_free (g_steal_pointer (&state), FALSE);
}

static void
layout_changed (HogaTableHelper *self)
{
  g_autofree char *state = NULL;

  /* While a column is moved it is out of the list for a moment. */
  if (self->applying ||
      g_list_model_get_n_items (gtk_column_view_get_columns (self->column_view)) != self->n_columns)
    return;

  state = serialize_layout (self);
  if (strcmp (state, self->column_state) == 0)
    return;

  g_free (self->column_state);
  self->column_state = g_steal_pointer (&state);
  g_object_notify_by_pspec (G_OBJECT (self->table), self->column_state_pspec);
}

/* Reads @text into a display order of column indexes, widths and visibility. Unknown ids
 * are skipped; columns it does not name follow in their default order. */
static gboolean
parse_layout (HogaTableHelper *self,
              const char      *text,
              guint            order[MAX_COLUMNS],
              int              widths[MAX_COLUMNS],
              gboolean         visible[MAX_COLUMNS])
{
  g_auto(GStrv) entries = NULL;
  gboolean placed[MAX_COLUMNS] = { FALSE, };
  guint n_placed = 0;

  for (guint i = 0; i < self->n_columns; i++)
    {
      order[i] = i;
      widths[i] = self->columns[i].width;
      visible[i] = TRUE;
    }

  if (text == NULL || text[0] == '\0')
    return TRUE;

  entries = g_strsplit (text, ",", -1);
  for (guint e = 0; entries[e] != NULL; e++)
    {
      char *id = g_strstrip (entries[e]);
      gboolean hidden = FALSE;
      guint64 width;
      char *colon;
      guint i;

      if (id[0] == '-')
        {
          hidden = TRUE;
          id++;
        }
      colon = strrchr (id, ':');
      if (colon == NULL || colon == id ||
          !g_ascii_string_to_unsigned (colon + 1, 10, 1, MAX_COLUMN_WIDTH, &width, NULL))
        return FALSE;
      *colon = '\0';

      for (i = 0; i < self->n_columns && strcmp (self->columns[i].id, id) != 0; i++)
        ;
      if (i == self->n_columns)
        continue;
      if (placed[i])
        return FALSE;

      placed[i] = TRUE;
      order[n_placed++] = i;
      widths[i] = (int) width;
      visible[i] = !hidden;
    }

  for (guint i = 0; i < self->n_columns; i++)
    {
      if (!placed[i])
        order[n_placed++] = i;
    }

  return TRUE;
}

static int
int_value_of_enum (GObject *item,
                   int      value)
{
  return value;
}

static GtkSorter *
sorter_for (GType                  item_type,
            const HogaTableColumn *column)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (item_type);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), column->property);
  GtkExpression *expression;

  g_assert (pspec != NULL);

  expression = gtk_property_expression_new (item_type, NULL, column->property);
  if (pspec->value_type == G_TYPE_STRING)
    return GTK_SORTER (gtk_string_sorter_new (expression));

  /* GtkNumericSorter takes fundamental types only: sort an enum by its value. */
  if (G_TYPE_IS_ENUM (pspec->value_type))
    expression = gtk_cclosure_expression_new (G_TYPE_INT, NULL, 1, &expression,
                                              G_CALLBACK (int_value_of_enum), NULL, NULL);

  return GTK_SORTER (gtk_numeric_sorter_new (expression));
}

/* The header's menu: a check per column to show or hide it. */
static GMenuModel *
setup_header_menu (HogaTableHelper *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < self->n_columns; i++)
    {
      g_autoptr(GPropertyAction) action = NULL;
      g_autofree char *detailed = g_strconcat ("columns.", self->columns[i].id, NULL);

      action = g_property_action_new (self->columns[i].id, self->view_columns[i], "visible");
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
      g_menu_append (section, _(self->columns[i].title), detailed);
    }
  g_menu_append_section (menu, _("Columns"), G_MENU_MODEL (section));
  gtk_widget_insert_action_group (self->table, "columns", G_ACTION_GROUP (group));

  return G_MENU_MODEL (menu);
}

static void
cell_notify_cb (GObject    *item,
                GParamSpec *pspec,
                Cell       *cell)
{
  cell_update (cell);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               const HogaTableColumn    *column)
{
  GtkWidget *label = gtk_label_new (NULL);
  Cell *cell = g_new0 (Cell, 1);

  cell->column = column;
  cell->list_item = list_item;
  cell->label = GTK_LABEL (label);

  gtk_label_set_single_line_mode (cell->label, TRUE);
  gtk_label_set_ellipsize (cell->label, PANGO_ELLIPSIZE_END);
  if (is_numeric (column))
    {
      gtk_label_set_xalign (cell->label, 1.0);
      gtk_widget_add_css_class (label, "numeric");
    }
  else
    {
      gtk_label_set_xalign (cell->label, 0.0);
    }

  g_object_set_qdata_full (G_OBJECT (label), cell_quark (), cell, g_free);
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              const HogaTableColumn    *column)
{
  Cell *cell = cell_of (gtk_list_item_get_child (list_item));
  char detailed[64];

  cell->item = gtk_list_item_get_item (list_item);

  g_snprintf (detailed, sizeof detailed, "notify::%s", column->property);
  g_signal_connect (cell->item, detailed, G_CALLBACK (cell_notify_cb), cell);
  if (column->also_property != NULL)
    {
      g_snprintf (detailed, sizeof detailed, "notify::%s", column->also_property);
      g_signal_connect (cell->item, detailed, G_CALLBACK (cell_notify_cb), cell);
    }

  cell_update (cell);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                const HogaTableColumn    *column)
{
  Cell *cell = cell_of (gtk_list_item_get_child (list_item));

  if (cell->item != NULL)
    g_signal_handlers_disconnect_by_data (cell->item, cell);
  cell->item = NULL;
}

static void
sort_model_items_changed_cb (GListModel      *model,
                             guint            position,
                             guint            removed,
                             guint            added,
                             HogaTableHelper *self)
{
  gtk_widget_set_visible (self->placeholder, g_list_model_get_n_items (model) == 0);
}

static void
columns_changed_cb (GListModel      *view_columns,
                    guint            position,
                    guint            removed,
                    guint            added,
                    HogaTableHelper *self)
{
  layout_changed (self);
}

static void
column_notify_cb (GtkColumnViewColumn *view_column,
                  GParamSpec          *pspec,
                  HogaTableHelper     *self)
{
  /* Hiding the last column would take the header, and the way back, with it. */
  if (!gtk_column_view_column_get_visible (view_column) && !any_column_visible (self))
    {
      gtk_column_view_column_set_visible (view_column, TRUE);
      return;
    }

  layout_changed (self);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      HogaTableHelper *self)
{
  Cell *cell = cell_at (self, x, y);

  if (cell == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (cell->list_item));
  popup_menu (self, cell->item, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
}

static void
popup_menu_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HogaTableHelper *self = g_object_get_qdata (G_OBJECT (widget), helper_quark ());
  GObject *item;
  GdkRectangle area = { 0, 0, 1, 1 };
  Cell *cell;

  if (self == NULL || (item = gtk_single_selection_get_selected_item (self->selection)) == NULL)
    return;

  /* Point at the row when it is on screen. */
  cell = find_cell (GTK_WIDGET (self->column_view), item, NULL, TRUE);
  if (cell != NULL)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (GTK_WIDGET (cell->label), widget, &bounds))
        area = (GdkRectangle) { (int) bounds.origin.x, (int) bounds.origin.y,
                                MAX (1, (int) bounds.size.width), MAX (1, (int) bounds.size.height) };
    }

  popup_menu (self, item, &area);
}

/**
 * hoga_table_helper_setup_class:
 * @widget_class: a table's class
 *
 * Gives the class a #GtkBinLayout (which also places the context menu) and the
 * "menu.popup" action, bound to Menu and Shift+F10, opening the context menu of the
 * selected row.
 */
void
hoga_table_helper_setup_class (GtkWidgetClass *widget_class)
{
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_install_action (widget_class, "menu.popup", NULL, popup_menu_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "menu.popup", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "menu.popup", NULL);
}

/**
 * hoga_table_helper_new:
 * @table: the table widget, whose class went through hoga_table_helper_setup_class()
 * @column_view: its column view (a template child)
 * @placeholder: what it shows while the model is empty
 * @item_type: the type of the model's items
 * @columns: (array length=n_columns): the columns in their default order; static
 * @n_columns: how many
 * @menu_func: (nullable): the row context menu
 * @column_state_pspec: the table's "column-state" property
 *
 * Returns: (transfer full): the helper, for hoga_table_helper_free() in @table's dispose
 */
HogaTableHelper *
hoga_table_helper_new (GtkWidget             *table,
                       GtkColumnView         *column_view,
                       GtkWidget             *placeholder,
                       GType                  item_type,
                       const HogaTableColumn *columns,
                       guint                  n_columns,
                       HogaTableMenuFunc      menu_func,
                       GParamSpec            *column_state_pspec)
{
  g_autoptr(GMenuModel) header_menu = NULL;
  HogaTableHelper *self;
  GtkGesture *click;

  g_return_val_if_fail (GTK_IS_WIDGET (table), NULL);
  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (column_view), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (placeholder), NULL);
  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (columns != NULL && n_columns > 0 && n_columns <= MAX_COLUMNS, NULL);
  g_return_val_if_fail (G_IS_PARAM_SPEC_STRING (column_state_pspec), NULL);

  self = g_new0 (HogaTableHelper, 1);
  self->table = table;
  self->column_view = column_view;
  self->placeholder = placeholder;
  self->item_type = item_type;
  self->columns = columns;
  self->n_columns = n_columns;
  self->menu_func = menu_func;
  self->column_state_pspec = column_state_pspec;
  self->column_state = g_strdup ("");
  g_object_set_qdata (G_OBJECT (table), helper_quark (), self);

  self->sort_model = gtk_sort_list_model_new (NULL, g_object_ref (gtk_column_view_get_sorter (column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->sort_model));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->sort_model, "items-changed", G_CALLBACK (sort_model_items_changed_cb), self);
  gtk_widget_set_visible (placeholder, TRUE);

  self->view_columns = g_new0 (GtkColumnViewColumn *, n_columns);
  for (guint i = 0; i < n_columns; i++)
    {
      const HogaTableColumn *column = &columns[i];
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkSorter) sorter = sorter_for (item_type, column);
      GtkColumnViewColumn *view_column;

      g_assert (column->kind != HOGA_COLUMN_CHOICE || (column->label != NULL && column->raw != NULL));
      g_assert (column->kind != HOGA_COLUMN_CUSTOM || (column->update != NULL && column->to_csv != NULL));

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), (gpointer) column);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), (gpointer) column);
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), (gpointer) column);

      view_column = gtk_column_view_column_new (_(column->title), factory);
      g_object_set_qdata (G_OBJECT (view_column), column_quark (), (gpointer) column);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      gtk_column_view_column_set_fixed_width (view_column, column->width);
      gtk_column_view_column_set_sorter (view_column, sorter);
      gtk_column_view_append_column (column_view, view_column);
      self->view_columns[i] = view_column;

      g_signal_connect (view_column, "notify::fixed-width", G_CALLBACK (column_notify_cb), self);
      g_signal_connect (view_column, "notify::visible", G_CALLBACK (column_notify_cb), self);
    }
  gtk_column_view_set_reorderable (column_view, TRUE);
  g_signal_connect (gtk_column_view_get_columns (column_view), "items-changed",
                    G_CALLBACK (columns_changed_cb), self);

  header_menu = setup_header_menu (self);
  for (guint i = 0; i < n_columns; i++)
    gtk_column_view_column_set_header_menu (self->view_columns[i], header_menu);

  self->popover = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, table);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (secondary_pressed_cb), self);
  self->click = GTK_EVENT_CONTROLLER (click);
  gtk_widget_add_controller (table, self->click);

  return self;
}

/**
 * hoga_table_helper_free:
 * @self: a helper
 *
 * Detaches @self from its table and frees it.
 */
void
hoga_table_helper_free (HogaTableHelper *self)
{
  g_return_if_fail (self != NULL);

  gtk_widget_remove_controller (self->table, self->click);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_insert_action_group (self->table, "columns", NULL);

  g_signal_handlers_disconnect_by_data (gtk_column_view_get_columns (self->column_view), self);
  for (guint i = 0; i < self->n_columns; i++)
    g_signal_handlers_disconnect_by_data (self->view_columns[i], self);
  g_signal_handlers_disconnect_by_data (self->sort_model, self);
  gtk_column_view_set_model (self->column_view, NULL);

  g_object_set_qdata (G_OBJECT (self->table), helper_quark (), NULL);
  g_clear_object (&self->selection);
  g_free (self->view_columns);
  g_free (self->column_state);
  g_free (self);
}

GListModel *
hoga_table_helper_get_model (HogaTableHelper *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return gtk_sort_list_model_get_model (self->sort_model);
}

/**
 * hoga_table_helper_set_model:
 * @self: a helper
 * @model: (nullable): a #GListModel of the helper's item type
 *
 * Returns: whether the model changed
 */
gboolean
hoga_table_helper_set_model (HogaTableHelper *self,
                             GListModel      *model)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), FALSE);
  g_return_val_if_fail (model == NULL ||
                        g_type_is_a (g_list_model_get_item_type (model), self->item_type), FALSE);

  if (gtk_sort_list_model_get_model (self->sort_model) == model)
    return FALSE;

  gtk_sort_list_model_set_model (self->sort_model, model);
  gtk_widget_set_visible (self->placeholder,
                          g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) == 0);
  return TRUE;
}

/**
 * hoga_table_helper_get_column_state:
 * @self: a helper
 *
 * Returns: the layout as "id:width" entries in display order, comma separated, a hidden
 *   column's id after a "-"; "" while it is the default layout
 */
const char *
hoga_table_helper_get_column_state (HogaTableHelper *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->column_state;
}

/**
 * hoga_table_helper_set_column_state:
 * @self: a helper
 * @column_state: (nullable): a layout from hoga_table_helper_get_column_state(); ""
 *   or %NULL for the default
 *
 * Applies @column_state. Unknown column ids are skipped and columns it does not name
 * follow, visible, in their default order; a malformed string gives the default layout
 * and a warning.
 */
void
hoga_table_helper_set_column_state (HogaTableHelper *self,
                                    const char      *column_state)
{
  guint order[MAX_COLUMNS];
  int widths[MAX_COLUMNS];
  gboolean visible[MAX_COLUMNS];
  GListModel *view_columns;

  g_return_if_fail (self != NULL);

  if (!parse_layout (self, column_state, order, widths, visible))
    {
      g_warning ("%s: malformed column layout “%s”, using the default",
                 G_OBJECT_TYPE_NAME (self->table), column_state);
      parse_layout (self, NULL, order, widths, visible);
    }

  view_columns = gtk_column_view_get_columns (self->column_view);
  self->applying = TRUE;
  for (guint position = 0; position < self->n_columns; position++)
    {
      GtkColumnViewColumn *view_column = self->view_columns[order[position]];
      g_autoptr(GtkColumnViewColumn) there = g_list_model_get_item (view_columns, position);

      gtk_column_view_column_set_fixed_width (view_column, widths[order[position]]);
      gtk_column_view_column_set_visible (view_column, visible[order[position]]);
      if (there != view_column)
        gtk_column_view_insert_column (self->column_view, position, view_column);
    }
  self->applying = FALSE;

  layout_changed (self);
}

/**
 * hoga_table_helper_to_csv:
 * @self: a helper
 *
 * Returns: (transfer full): the visible columns in display order and the rows in display
 *   order as RFC 4180 CSV, a header row of the column titles first, "\r\n" line ends
 */
char *
hoga_table_helper_to_csv (HogaTableHelper *self)
{
  GListModel *view_columns;
  GListModel *rows;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  GString *csv;

  g_return_val_if_fail (self != NULL, NULL);

  view_columns = gtk_column_view_get_columns (self->column_view);
  for (guint i = 0; i < g_list_model_get_n_items (view_columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) view_column = g_list_model_get_item (view_columns, i);

      if (gtk_column_view_column_get_visible (view_column))
        g_ptr_array_add (shown, view_column);
    }

  csv = g_string_new (NULL);
  for (guint c = 0; c < shown->len; c++)
    {
      if (c > 0)
        g_string_append_c (csv, ',');
      append_csv_field (csv, gtk_column_view_column_get_title (g_ptr_array_index (shown, c)));
    }
  g_string_append (csv, "\r\n");

  rows = G_LIST_MODEL (self->sort_model);
  for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (rows, r);

      for (guint c = 0; c < shown->len; c++)
        {
          const HogaTableColumn *column = g_object_get_qdata (g_ptr_array_index (shown, c), column_quark ());
          g_autofree char *field = cell_raw (column, item);

          if (c > 0)
            g_string_append_c (csv, ',');
          append_csv_field (csv, field);
        }
      g_string_append (csv, "\r\n");
    }

  return g_string_free (csv, FALSE);
}

void
hoga_table_helper_menu_append (GMenu      *menu,
                               const char *label,
                               const char *action,
                               GVariant   *target)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_return_if_fail (G_IS_MENU (menu));

  g_menu_item_set_action_and_target_value (item, action, target);
  g_menu_append_item (menu, item);
}

/**
 * hoga_table_helper_find_cell:
 * @table: a table widget
 * @item: an item of its model
 * @column_id: a column id
 *
 * Returns: (transfer none) (nullable): the label showing @column_id of @item
 */
GtkLabel *
hoga_table_helper_find_cell (GtkWidget  *table,
                             gpointer    item,
                             const char *column_id)
{
  Cell *cell;

  g_return_val_if_fail (GTK_IS_WIDGET (table), NULL);
  g_return_val_if_fail (G_IS_OBJECT (item), NULL);
  g_return_val_if_fail (column_id != NULL, NULL);

  cell = find_cell (table, item, column_id, FALSE);
  return cell != NULL ? cell->label : NULL;
}
