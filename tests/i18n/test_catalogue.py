

def test_geographic_levels_in_both_languages():
    from playbook import i18n

    assert i18n.geo_level("Dissemination area", "fr") == "Aire de diffusion"
    assert i18n.geo_level("Census agglomeration", "fr") == "Agglomération de recensement"
    assert i18n.geo_level("Census subdivision", "en") == "Census subdivision"
    assert i18n.geo_level("Census tract", "fr") == "Census tract"  # unknown: as the file gives it
