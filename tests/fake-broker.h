/* fake-broker.h — a scriptable HogaBroker for tests of the engine's core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order calls (place, modify, cancel) take their replies from a script, in order: a
 * receipt, an error, or a hang (the call never completes until the test completes it,
 * which is how a test drives a timeout into OUTCOME_UNKNOWN). With the script empty a call
 * hangs. Every call is recorded. orders_async() answers with the rows the test set. 00
 * events are emitted on demand. The rest of the port answers "not connected".
 */
#pragma once

#include "hoga-broker.h"

G_BEGIN_DECLS

#define FAKE_TYPE_BROKER (fake_broker_get_type ())
G_DECLARE_FINAL_TYPE (FakeBroker, fake_broker, FAKE, BROKER, GObject)

typedef enum {
  FAKE_CALL_PLACE,
  FAKE_CALL_MODIFY,
  FAKE_CALL_CANCEL,
  FAKE_CALL_ORDERS,
} FakeCallKind;

typedef struct {
  FakeCallKind     kind;
  HogaOrderRequest request;    /* FAKE_CALL_PLACE */
  char             orig_ord_no[HOGA_ORD_NO_SIZE];  /* modify, cancel */
  char             code[HOGA_CODE_SIZE];           /* modify, cancel */
  gint64           qty;                            /* modify, cancel */
  gint64           price;                          /* modify */
  gboolean         filled;                         /* FAKE_CALL_ORDERS */
} FakeCall;

/* Called inside every order call, before it is recorded or answered. */
typedef void (*FakeOrderHook) (FakeBroker     *broker,
                               const FakeCall *call,
                               gpointer        user_data);

FakeBroker     *fake_broker_new                (void);
void            fake_broker_push_receipt       (FakeBroker           *self,
                                                const char           *ord_no,
                                                const char           *root_ord_no);
void            fake_broker_push_error         (FakeBroker           *self,
                                                HogaBrokerError       code,
                                                const char           *message);
void            fake_broker_push_hang          (FakeBroker           *self);
/* Completes the oldest hung order call; FALSE when none hangs. */
gboolean        fake_broker_complete_receipt   (FakeBroker           *self,
                                                const char           *ord_no,
                                                const char           *root_ord_no);
gboolean        fake_broker_complete_error     (FakeBroker           *self,
                                                HogaBrokerError       code,
                                                const char           *message);
guint           fake_broker_get_n_hung         (FakeBroker           *self);

/* The rows orders_async (@filled) answers with from now on (copied). */
void            fake_broker_set_orders         (FakeBroker              *self,
                                                gboolean                 filled,
                                                const HogaOrderSnapshot *rows,
                                                guint                    n_rows);
void            fake_broker_emit_order_event   (FakeBroker           *self,
                                                const HogaOrderEvent *event);
void            fake_broker_set_order_hook     (FakeBroker           *self,
                                                FakeOrderHook         hook,
                                                gpointer              user_data);

/* FakeCall, every call so far, oldest first (owned by the broker). */
GPtrArray      *fake_broker_get_calls          (FakeBroker           *self);
guint           fake_broker_count_calls        (FakeBroker           *self,
                                                FakeCallKind          kind);

G_END_DECLS
