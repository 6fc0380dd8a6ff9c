-- The Russian names of three districts as Russian writes them: "район Ақсуат"
-- kept the Kazakh letters. Only names still as seeded are changed: a name an
-- administrator has edited since stays theirs.
UPDATE district SET name_ru = 'Аксуатский район' WHERE code = 'aksuat' AND name_ru = 'район Ақсуат';
UPDATE district SET name_ru = 'Маканчинский район' WHERE code = 'makanshy' AND name_ru = 'район Мақаншы';
UPDATE district SET name_ru = 'Жанасемейский район' WHERE code = 'zhanasemey' AND name_ru = 'район Жаңасемей';
