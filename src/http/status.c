#include "http/status.h"

#include "core/i18n.h"

static const struct {
	const char *name;
	unsigned status;
	const char *message;
} codes[VG_RC_COUNT] = {
	[VG_OK] = {"ok", 200, N_("C'est fait.")},
	[VG_EINVAL] = {"invalid", 400,
	    N_("Certaines informations ne conviennent pas. Vérifiez le "
	    "formulaire.")},
	[VG_EAUTH] = {"unauthenticated", 401,
	    N_("Connectez-vous pour accéder à cette page.")},
	[VG_EDENIED] = {"forbidden", 403,
	    N_("Votre compte ne donne pas accès à cette page.")},
	[VG_ECSRF] = {"csrf", 403,
	    N_("Le formulaire a expiré. Rechargez la page et recommencez.")},
	[VG_ENOTFOUND] = {"not_found", 404,
	    N_("Cette page n'existe pas ou n'existe plus.")},
	[VG_EMETHOD] = {"method_not_allowed", 405,
	    N_("Cette adresse ne s'utilise pas de cette façon.")},
	[VG_ECONFLICT] = {"conflict", 409,
	    N_("Cet élément existe déjà.")},
	[VG_EGONE] = {"gone", 410,
	    N_("Cet élément n'existe plus.")},
	[VG_ETOOBIG] = {"too_large", 413,
	    N_("L'envoi est trop volumineux. Réduisez sa taille et "
	    "réessayez.")},
	[VG_EMEDIA] = {"unsupported_media_type", 415,
	    N_("Ce type de contenu n'est pas accepté.")},
	[VG_ETHROTTLE] = {"too_many_attempts", 429,
	    N_("Trop de tentatives. Patientez quelques minutes avant de "
	    "réessayer.")},
	[VG_ENOMEM] = {"out_of_memory", 500,
	    N_("Le service est momentanément surchargé. Réessayez dans un "
	    "instant.")},
	[VG_EDB] = {"storage", 500,
	    N_("Une erreur technique est survenue. Rien n'a été enregistré. "
	    "Réessayez dans un instant.")},
	[VG_EIO] = {"io", 500,
	    N_("Une erreur technique est survenue. Réessayez dans un "
	    "instant.")},
	[VG_EINTERNAL] = {"internal", 500,
	    N_("Une erreur technique est survenue. Réessayez dans un "
	    "instant.")},
};

const char *
vg_rc_name(vg_rc rc)
{
	if ((unsigned)rc >= VG_RC_COUNT)
		return "internal";
	return codes[rc].name;
}

unsigned
vg_rc_status(vg_rc rc)
{
	if ((unsigned)rc >= VG_RC_COUNT)
		return 500;
	return codes[rc].status;
}

const char *
vg_rc_message(vg_rc rc)
{
	if ((unsigned)rc >= VG_RC_COUNT)
		rc = VG_EINTERNAL;
	return _(codes[rc].message);
}
