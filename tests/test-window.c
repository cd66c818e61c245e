/* SPDX-License-Identifier: GPL-3.0-or-later */
/* placeholder: replaced by the real test */
int main (void) { return 77; }
