-- GET /api/v1/children?q=: the ranked name search over the seeded children
-- (bench/seed.c, children mode), cycling through queries of every kind the
-- search must answer. Each names a child the seed is known to hold (fixed
-- seed): a changed name list in bench/seed.c needs new queries here.
local queries = {
  -- exact names (Kazakh Cyrillic), surname only, prefix
  "%D0%96%D0%B0%D0%BD%D0%B1%D2%B1%D0%BB%D0%B0%D1%82%D0%BE%D0%B2%D0%B0%20%D3%98%D1%81%D0%B5%D0%BC%D0%B3%D2%AF%D0%BB", -- Жанбұлатова Әсемгүл
  "%D0%91%D3%A9%D0%BA%D0%B5%D0%B9%D1%85%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0%20%D3%98%D0%B9%D0%B3%D0%B5%D1%80%D1%96%D0%BC%202008-09-26", -- Бөкейханова Әйгерім 2008-09-26
  "%D0%98%D0%B2%D0%B0%D0%BD%D0%BE%D0%B2%20%D0%90%D0%BB%D0%B5%D0%BA%D1%81%D0%B0%D0%BD%D0%B4%D1%80", -- Иванов Александр
  "%D0%A1%D0%B5%D1%80%D1%96%D0%BA%D0%B1%D0%B0%D0%B5%D0%B2", -- Серікбаев
  "%D0%96%D0%B0%D0%BD%D0%B1%D2%B1%D0%BB", -- Жанбұл
  -- Russian-style Cyrillic spellings of Kazakh names
  "%D0%A1%D0%B5%D1%80%D0%B8%D0%BA%D0%B1%D0%B0%D0%B5%D0%B2%D0%B0%20%D0%9D%D0%B0%D0%B7%D0%B5%D1%80%D0%BA%D0%B5", -- Серикбаева Назерке
  "%D0%96%D0%B0%D0%BA%D1%81%D1%8B%D0%BB%D1%8B%D0%BA%D0%BE%D0%B2%D0%B0%20%D0%98%D0%BD%D0%BA%D0%B0%D1%80", -- Жаксылыкова Инкар
  "%D0%9A%D0%BE%D0%B6%D0%B0%D1%85%D0%BC%D0%B5%D1%82%D0%BE%D0%B2%20%D0%9D%D1%83%D1%80%D1%81%D1%83%D0%BB%D1%82%D0%B0%D0%BD%202014-10-27", -- Кожахметов Нурсултан 2014-10-27
  -- passport Latin
  "Zhanbulatova%20Asemgul", -- Zhanbulatova Asemgul
  "Serikbayev%20Temirlan%202011-02-13", -- Serikbayev Temirlan 2011-02-13
  "SHOKANOVA%20TOMIRIS", -- SHOKANOVA TOMIRIS
  "Kim%20Anastasiya", -- Kim Anastasiya
  -- one typo
  "%D0%A1%D0%B5%D1%80%D1%96%D0%BA%D0%B1%D0%B0%D0%B5%D0%B2%D0%B0%20%D0%9D%D0%B0%D0%B7%D0%B5%D0%BA%D0%B5", -- Серікбаева Назеке
  "%D0%96%D0%B0%D0%BC%D0%B1%D2%B1%D0%BB%D0%B0%D1%82%D0%BE%D0%B2%D0%B0%20%D3%98%D1%81%D0%B5%D0%BC%D0%B3%D2%AF%D0%BB", -- Жамбұлатова Әсемгүл
  "%D0%9A%D1%83%D0%B4%D0%B0%D0%B9%D0%B1%D0%B5%D1%80%D0%B5%D0%B3%D0%BD%D0%BE%D0%B2%D0%B0%20%D0%90%D0%BA%D0%B1%D0%BE%D1%82%D0%B0", -- Кудайберегнова Акбота
  -- two typos (one per word, or two in one word)
  "%D0%91%D0%BE%D0%BA%D0%B5%D1%85%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0%20%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%BC", -- Бокеханова Айгерм
  "%D0%9A%D0%BE%D0%B6%D1%85%D0%B0%D0%BC%D1%82%D0%BE%D0%B2%20%D0%9D%D2%B1%D1%80%D1%81%D2%B1%D0%BB%D1%82%D0%B0%D0%BD", -- Кожхамтов Нұрсұлтан
  "%D0%A1%D0%B5%D1%96%D0%BA%D0%B1%D0%B0%D0%B5%D0%B2%20%D0%A2%D0%B5%D0%BC%D1%80%D0%BB%D0%B0%D0%BD%202011-02-13", -- Сеікбаев Темрлан 2011-02-13
  -- given name first; a full name; a patronymic
  "%D0%9D%D0%B0%D0%B7%D0%B5%D1%80%D0%BA%D0%B5%20%D0%A1%D0%B5%D1%80%D1%96%D0%BA%D0%B1%D0%B0%D0%B5%D0%B2%D0%B0", -- Назерке Серікбаева
  "%D0%9A%D1%83%D0%B4%D0%B0%D0%B9%D0%B1%D0%B5%D1%80%D0%B3%D0%B5%D0%BD%D0%BE%D0%B2%D0%B0%20%D0%90%D0%BA%D0%B1%D0%BE%D1%82%D0%B0%20%D0%91%D0%BE%D0%BB%D0%B0%D1%82%D0%BA%D1%8B%D0%B7%D1%8B", -- Кудайбергенова Акбота Болаткызы
  "%D3%98%D1%81%D0%B5%D0%BC%D0%B3%D2%AF%D0%BB%20%D0%96%D0%B0%D0%BD%D0%B1%D2%B1%D0%BB%D0%B0%D1%82%D2%9B%D1%8B%D0%B7%D1%8B", -- Әсемгүл Жанбұлатқызы
  -- surname and birth date
  "%D0%A1%D0%B5%D1%80%D1%96%D0%BA%D0%B1%D0%B0%D0%B5%D0%B2%202011-02-13", -- Серікбаев 2011-02-13
  "%D0%9A%D0%B8%D0%BC%2031.01.2010", -- Ким 31.01.2010
  "%D0%A8%D0%BE%D2%9B%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0%202020-11-08", -- Шоқанова 2020-11-08
}
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/v1/children?q=" .. queries[i])
end
