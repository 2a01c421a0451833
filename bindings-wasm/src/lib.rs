//! JavaScript binding of ccpa-optout.
