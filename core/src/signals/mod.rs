//! Privacy signals that count as a "do not sell or share" request: GPC, IAB USP and GPP.
