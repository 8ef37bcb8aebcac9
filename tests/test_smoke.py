def test_home_page_answers_in_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
