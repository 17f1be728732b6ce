/* placeholder */
typedef int vg_placeholder_import;
