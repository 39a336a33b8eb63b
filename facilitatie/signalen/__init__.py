"""Signalen: knelpunten reported between sessies (start page, a team's meldlink, the API), the
inbox "Binnengekomen signalen", and "Is het opgelost?" after an actie is afgerond."""
