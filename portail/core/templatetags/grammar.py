"""French grammar in templates (`{% load grammar %}`), see core.grammar.

{% if name|elides %}{% blocktranslate context "before a vowel" %}...{% endblocktranslate %}
{% else %}{% blocktranslate %}...{% endblocktranslate %}{% endif %}
"""

from django import template

from portail.core import grammar

register = template.Library()


@register.filter
def elides(name: str | None) -> bool:
    """Whether French writes d' rather than de before this name ("d'Emy", "de Léo")."""
    return grammar.elides(str(name or ""))
