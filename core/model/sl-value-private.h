/* sl-value-private.h: helpers shared by sl-value.c and sl-value-json.c. */
#pragma once

#include "sl-value.h"

G_BEGIN_DECLS

/* Members/elements grow in powers of two (at least 4); the capacity is
 * implied by the count, so SlValue needs no capacity field. */
guint    sl_value_capacity_for (guint n);
SlValue *sl_value_alloc (SlValueKind kind);

G_END_DECLS
