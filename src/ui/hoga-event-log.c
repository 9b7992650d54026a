/* hoga-event-log.c — the window's event log pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListStore of HogaEventLogEntry, capped at HOGA_EVENT_LOG_MAX_ENTRIES, seen through a
 * GtkFilterListModel (level and text) in a GtkColumnView. Appends are queued and shown in
 * one splice per FLUSH_INTERVAL_MS, so a burst of a thousand lines is one model change and
 * only the visible rows are ever built.
 */
#define G_LOG_DOMAIN "hoga-ui"

#include "config.h"

#include <string.h>

#include "hoga-event-log-entry.h"
#include "hoga-event-log-private.h"

#define FLUSH_INTERVAL_MS 100

/* How close to the bottom still counts as "at the bottom": the list's size estimates
 * move by a few pixels as rows are measured. */
#define BOTTOM_SLACK_PX 12.0

struct _HogaEventLog
{
  GtkWidget           parent_instance;

  GtkDropDown        *level_filter;
  GtkSearchEntry     *search_entry;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;

  GListStore         *entries;
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  GPtrArray          *pending;        /* HogaEventLogEntry, oldest first */
  guint               flush_id;
  guint               scroll_tick_id;
  guint               min_severity;   /* hoga_event_log_entry_get_severity() */
  char               *folded_search;  /* case-folded; NULL when there is no text filter */
  gboolean            follow;         /* at the bottom: new lines scroll into view */
};

G_DEFINE_FINAL_TYPE (HogaEventLog, hoga_event_log, GTK_TYPE_WIDGET)

static gboolean
entry_shown (gpointer item,
             gpointer user_data)
{
  HogaEventLog *self = user_data;
  HogaEventLogEntry *entry = item;

  return hoga_event_log_entry_get_severity (entry) >= self->min_severity
         && (self->folded_search == NULL
             || hoga_event_log_entry_matches (entry, self->folded_search));
}

static void
update_actions (HogaEventLog *self)
{
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->entries)) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.clear", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.copy", any);
}

static gboolean
at_bottom (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - BOTTOM_SLACK_PX;
}

/* On the next frame, once the list has measured its new rows: a value set while the list
 * updates its adjustment would be overridden by the list's own anchor. */
static gboolean
scroll_to_bottom_cb (GtkWidget     *widget,
                     GdkFrameClock *frame_clock,
                     gpointer       user_data)
{
  HogaEventLog *self = HOGA_EVENT_LOG (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scroll_tick_id = 0;
  if (self->follow)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                          - gtk_adjustment_get_page_size (adjustment));
  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_bottom (HogaEventLog *self)
{
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_bottom_cb,
                                                         NULL, NULL);
}

/* ---- callbacks ----------------------------------------------------------------------- */

static gboolean
flush_cb (gpointer user_data)
{
  HogaEventLog *self = user_data;

  self->flush_id = 0;
  hoga_event_log_flush (self);
  return G_SOURCE_REMOVE;
}

/* The user scrolled: following resumes once they are back at the bottom. */
static void
vadjustment_value_changed_cb (GtkAdjustment *adjustment,
                              HogaEventLog  *self)
{
  self->follow = at_bottom (adjustment);
}

/* The content grew (or the pane was resized): stay at the bottom if that is where the
 * user was. */
static void
vadjustment_changed_cb (GtkAdjustment *adjustment,
                        HogaEventLog  *self)
{
  if (self->follow && !at_bottom (adjustment))
    queue_scroll_to_bottom (self);
}

static void
level_filter_changed_cb (HogaEventLog *self)
{
  guint selected = gtk_drop_down_get_selected (self->level_filter);
  guint severity = selected == GTK_INVALID_LIST_POSITION ? 0 : MIN (selected, 3);
  GtkFilterChange change;

  if (severity == self->min_severity)
    return;
  change = severity > self->min_severity ? GTK_FILTER_CHANGE_MORE_STRICT
                                         : GTK_FILTER_CHANGE_LESS_STRICT;
  self->min_severity = severity;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
search_changed_cb (HogaEventLog *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_autofree char *folded = NULL;
  GtkFilterChange change;

  g_strstrip (text);
  if (*text != '\0')
    folded = g_utf8_casefold (text, -1);
  if (g_strcmp0 (folded, self->folded_search) == 0)
    return;

  if (self->folded_search == NULL || (folded != NULL && strstr (folded, self->folded_search)))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (folded == NULL || strstr (self->folded_search, folded) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  g_free (self->folded_search);
  self->folded_search = g_steal_pointer (&folded);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
label_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                HogaEventLog             *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
time_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              HogaEventLog             *self)
{
  HogaEventLogEntry *entry = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      hoga_event_log_entry_get_time_text (entry));
}

static void
code_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              HogaEventLog             *self)
{
  HogaEventLogEntry *entry = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      hoga_event_log_entry_get_code (entry));
}

static void
level_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                HogaEventLog             *self)
{
  gtk_list_item_set_child (list_item, gtk_image_new ());
}

static void
level_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               HogaEventLog             *self)
{
  HogaEventLogEntry *entry = gtk_list_item_get_item (list_item);
  GtkWidget *image = gtk_list_item_get_child (list_item);
  GLogLevelFlags level = hoga_event_log_entry_get_level (entry);
  guint severity = hoga_event_log_entry_get_severity (entry);
  const char *name = hoga_event_log_level_to_string (level);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), hoga_event_log_level_icon_name (level));
  gtk_widget_set_tooltip_text (image, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  if (severity >= 3)
    gtk_widget_add_css_class (image, "error");
  else
    gtk_widget_remove_css_class (image, "error");
  if (severity == 2)
    gtk_widget_add_css_class (image, "warning");
  else
    gtk_widget_remove_css_class (image, "warning");
}

static void
message_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  HogaEventLog             *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_list_item_set_child (list_item, label);
}

static void
message_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 HogaEventLog             *self)
{
  HogaEventLogEntry *entry = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  const char *message = hoga_event_log_entry_get_message (entry);

  gtk_label_set_text (GTK_LABEL (label), message);
  /* The whole text, for the lines the column cuts short. */
  gtk_widget_set_tooltip_text (label, message);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  hoga_event_log_clear (HOGA_EVENT_LOG (widget));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_autofree char *text = hoga_event_log_to_text (HOGA_EVENT_LOG (widget));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
hoga_event_log_dispose (GObject *object)
{
  HogaEventLog *self = HOGA_EVENT_LOG (object);
  GtkWidget *child;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->scroll_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
  self->scroll_tick_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), HOGA_TYPE_EVENT_LOG);
  /* The toolbar is not a bound template child: a plain GtkWidget unparents it itself. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->entries);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (hoga_event_log_parent_class)->dispose (object);
}

static void
hoga_event_log_finalize (GObject *object)
{
  HogaEventLog *self = HOGA_EVENT_LOG (object);

  g_free (self->folded_search);

  G_OBJECT_CLASS (hoga_event_log_parent_class)->finalize (object);
}

static void
hoga_event_log_class_init (HogaEventLogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hoga_event_log_dispose;
  object_class->finalize = hoga_event_log_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/hoga/Hoga/hoga-event-log.ui");
  gtk_widget_class_bind_template_child (widget_class, HogaEventLog, level_filter);
  gtk_widget_class_bind_template_child (widget_class, HogaEventLog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HogaEventLog, scroller);
  gtk_widget_class_bind_template_child (widget_class, HogaEventLog, column_view);
  gtk_widget_class_bind_template_callback (widget_class, level_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, label_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, level_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, level_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_bind_cb);

  gtk_widget_class_install_action (widget_class, "log.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "log.copy", NULL, copy_action);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
hoga_event_log_init (HogaEventLog *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkAdjustment *vadjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->follow = TRUE;
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  self->entries = g_list_store_new (HOGA_TYPE_EVENT_LOG_ENTRY);
  self->filter = gtk_custom_filter_new (entry_shown, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->entries)),
                                           g_object_ref (GTK_FILTER (self->filter)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadjustment, "value-changed",
                           G_CALLBACK (vadjustment_value_changed_cb), self, 0);
  g_signal_connect_object (vadjustment, "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, 0);
  update_actions (self);
}

/* ---- public API ---------------------------------------------------------------------- */

GtkWidget *
hoga_event_log_new (void)
{
  return g_object_new (HOGA_TYPE_EVENT_LOG, NULL);
}

/**
 * hoga_event_log_append:
 * @self: an event log
 * @time: (nullable): when it happened; %NULL for now. Shown in Asia/Seoul.
 * @level: its GLogLevelFlags level
 * @code: (nullable): the stock code it is about
 * @message: the text
 *
 * Adds a line at the bottom; the oldest line goes once the log holds
 * %HOGA_EVENT_LOG_MAX_ENTRIES.
 */
void
hoga_event_log_append (HogaEventLog   *self,
                       GDateTime      *time,
                       GLogLevelFlags  level,
                       const char     *code,
                       const char     *message)
{
  g_return_if_fail (HOGA_IS_EVENT_LOG (self));
  g_return_if_fail (message != NULL);

  /* More lines than the log keeps before any was shown: the oldest go at once. */
  if (self->pending->len >= HOGA_EVENT_LOG_MAX_ENTRIES)
    g_ptr_array_remove_index (self->pending, 0);
  g_ptr_array_add (self->pending, hoga_event_log_entry_new (time, level, code, message));

  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (FLUSH_INTERVAL_MS, flush_cb, self);
}

void
hoga_event_log_clear (HogaEventLog *self)
{
  g_return_if_fail (HOGA_IS_EVENT_LOG (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  g_list_store_remove_all (self->entries);
  self->follow = TRUE;
  update_actions (self);
}

/**
 * hoga_event_log_to_text:
 * @self: an event log
 *
 * Returns: (transfer full): the lines the filters show, "time\tlevel\tcode\tmessage\n"
 *   each; "" when none
 */
char *
hoga_event_log_to_text (HogaEventLog *self)
{
  GListModel *model;
  GString *text;

  g_return_val_if_fail (HOGA_IS_EVENT_LOG (self), NULL);

  hoga_event_log_flush (self);
  model = G_LIST_MODEL (self->shown);
  text = g_string_new (NULL);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(HogaEventLogEntry) entry = g_list_model_get_item (model, i);
      GLogLevelFlags level = hoga_event_log_entry_get_level (entry);

      g_string_append_printf (text, "%s\t%s\t%s\t%s\n",
                              hoga_event_log_entry_get_time_text (entry),
                              hoga_event_log_level_to_string (level),
                              hoga_event_log_entry_get_code (entry),
                              hoga_event_log_entry_get_message (entry));
    }
  return g_string_free (text, FALSE);
}

/* ---- private API (hoga-event-log-private.h) ------------------------------------------ */

void
hoga_event_log_flush (HogaEventLog *self)
{
  guint n_kept;
  guint n_new;
  guint n_dropped;

  g_return_if_fail (HOGA_IS_EVENT_LOG (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  n_new = self->pending->len;
  if (n_new == 0)
    return;

  /* append() keeps at most the cap pending, so only kept lines can be in excess. */
  n_kept = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  n_dropped = n_kept + n_new > HOGA_EVENT_LOG_MAX_ENTRIES
              ? n_kept + n_new - HOGA_EVENT_LOG_MAX_ENTRIES : 0;
  if (n_dropped > 0)
    g_list_store_splice (self->entries, 0, n_dropped, NULL, 0);
  g_list_store_splice (self->entries, n_kept - n_dropped, 0, self->pending->pdata, n_new);
  g_ptr_array_set_size (self->pending, 0);
  update_actions (self);
  if (self->follow)
    queue_scroll_to_bottom (self);
}

GListModel *
hoga_event_log_get_entries (HogaEventLog *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG (self), NULL);

  hoga_event_log_flush (self);
  return G_LIST_MODEL (self->entries);
}

GListModel *
hoga_event_log_get_shown (HogaEventLog *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG (self), NULL);

  hoga_event_log_flush (self);
  return G_LIST_MODEL (self->shown);
}

GtkDropDown *
hoga_event_log_get_level_filter (HogaEventLog *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG (self), NULL);

  return self->level_filter;
}

GtkSearchEntry *
hoga_event_log_get_search_entry (HogaEventLog *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG (self), NULL);

  return self->search_entry;
}

GtkAdjustment *
hoga_event_log_get_vadjustment (HogaEventLog *self)
{
  g_return_val_if_fail (HOGA_IS_EVENT_LOG (self), NULL);

  return gtk_scrolled_window_get_vadjustment (self->scroller);
}
